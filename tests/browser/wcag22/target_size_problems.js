() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  const visible = el => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && !el.closest('[hidden], dialog:not([open])');
  };
  const inline = el => el.tagName === 'A' && getComputedStyle(el).display === 'inline';
  const targets = Array.from(document.querySelectorAll(sel)).filter(visible).filter(el => !inline(el));
  const boxes = targets.map(el => {
    const r = el.getBoundingClientRect();
    return {el, r, cx: r.left + r.width / 2 + scrollX, cy: r.top + r.height / 2 + scrollY,
            left: r.left + scrollX, right: r.right + scrollX, top: r.top + scrollY, bottom: r.bottom + scrollY,
            small: r.width < 23.5 || r.height < 23.5};
  });
  const distanceToBox = (x, y, b) => Math.hypot(Math.max(b.left - x, 0, x - b.right), Math.max(b.top - y, 0, y - b.bottom));
  const problems = [];
  for (const a of boxes.filter(b => b.small)) {
    for (const b of boxes) {
      if (a === b || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      // A control and its own label are one target (clicking either works).
      if (a.el.labels && Array.from(a.el.labels).some(l => l.contains(b.el) || l === b.el)) continue;
      const clash = b.small ? Math.hypot(a.cx - b.cx, a.cy - b.cy) < 24 : distanceToBox(a.cx, a.cy, b) < 12;
      if (clash) {
        const name = el => (el.id ? '#' + el.id : el.tagName.toLowerCase()) + ' "' + (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40) + '"';
        problems.push(`${name(a.el)} ${Math.round(a.r.width)}x${Math.round(a.r.height)} too close to ${name(b.el)}`);
        break;
      }
    }
  }
  return problems;
}
