() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  const points = [[.5, .5], [.1, .1], [.9, .1], [.1, .9], [.9, .9]].map(([x, y]) => [r.left + r.width * x, r.top + r.height * y]);
  const seen = points.some(([x, y]) => {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return false;
    const top = document.elementFromPoint(x, y);
    return top && (top === el || el.contains(top) || top.contains(el) || (el.labels && Array.from(el.labels).some(l => l.contains(top))));
  });
  if (seen) return null;
  const [x, y] = points[0];
  const top = document.elementFromPoint(x, y);
  return (el.id || el.name || el.innerText || el.tagName).slice(0, 60) + ' at ' + JSON.stringify(r) +
    ' under ' + (top ? top.tagName + '#' + top.id + '.' + top.className : 'nothing') + ' viewport ' + innerHeight;
}
