() => ({
  footer: (document.querySelector('footer') || {innerText: ''}).innerText.trim(),
  last: document.body.lastElementChild && document.querySelector('footer') ?
        Array.from(document.body.children).filter(el => el.tagName !== 'SCRIPT' && el.tagName !== 'DIALOG').pop().tagName : '',
})
