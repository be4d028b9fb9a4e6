// In-page half of extraction, run by `page.evaluate` as plain JavaScript (read as text, so no
// compiler helpers leak into the page). One call per page returns the records of every CSS
// extractor, the links to follow, the pagination links, and the images with their alt text.
//
//   (spec) => ({ records: [[{ name: 'A' }]], links: ['http://…'], next: [], images: [], title })
(spec) => {
  const clean = (s) => (s == null ? null : String(s).replace(/\s+/g, ' ').trim());
  const absolute = (v) => {
    try {
      return new URL(v, document.baseURI).href;
    } catch {
      return v;
    }
  };
  const toNumber = (s) => {
    if (s == null) return null;
    const m = String(s)
      .replace(/[\s\u00a0]/g, '')
      .replace(/,(?=\d{3}(\D|$))/g, '')
      .match(/-?\d+(\.\d+)?([eE][-+]?\d+)?/);
    return m ? Number(m[0]) : null;
  };
  const table = (el) => {
    const rows = Array.from(el.querySelectorAll('tr'));
    const cells = (tr) => Array.from(tr.children).map((c) => clean(c.textContent));
    const first = rows[0];
    const headed = first?.querySelector('th') && !first.querySelector('td');
    if (!headed) return rows.map(cells);
    const head = cells(first);
    return rows.slice(1).map((tr) => {
      const values = cells(tr);
      const n = Math.max(head.length, values.length);
      return Object.fromEntries(
        Array.from({ length: n }, (_, i) => [head[i] || `col${i}`, values[i] ?? null]),
      );
    });
  };
  const read = (el, f) => {
    if (f.table) return table(el);
    let v;
    if (f.attr) {
      v = el.getAttribute(f.attr);
      if (v != null && (f.attr === 'href' || f.attr === 'src')) v = absolute(v);
    } else if (f.html) v = el.innerHTML;
    else v = clean(el.textContent);
    if (f.type === 'number') return toNumber(v);
    if (f.type === 'boolean') return v != null && v !== '' && v !== 'false';
    return v;
  };
  const pick = (root, f) => {
    const sel = f.selector || ':scope';
    if (f.all) return Array.from(root.querySelectorAll(sel)).map((el) => read(el, f));
    const el = sel === ':scope' ? root : root.querySelector(sel);
    return el ? read(el, f) : null;
  };
  const recordOf = (root, fields) => {
    const out = {};
    for (const [name, f] of Object.entries(fields)) {
      const v = pick(root, f);
      if (f.required && (v == null || (Array.isArray(v) && v.length === 0) || v === '')) return null;
      out[name] = v;
    }
    return out;
  };
  const records = spec.extractors.map((x) => {
    const roots = x.items ? Array.from(document.querySelectorAll(x.items)) : [document.documentElement];
    return roots.map((r) => recordOf(r, x.fields)).filter((r) => r !== null);
  });
  const hrefs = (sel) =>
    sel
      ? Array.from(document.querySelectorAll(sel))
          .map((a) => a.href || a.getAttribute('href'))
          .filter((h) => typeof h === 'string' && h !== '')
          .map(absolute)
      : [];
  const images = spec.images
    ? Array.from(document.querySelectorAll(spec.images))
        .map((img) => ({
          src: img.currentSrc || img.src || absolute(img.getAttribute('src') || ''),
          alt: clean(img.getAttribute('alt')) || '',
          width: img.naturalWidth || undefined,
          height: img.naturalHeight || undefined,
        }))
        .filter((i) => /^https?:/.test(i.src))
    : [];
  return {
    records,
    links: hrefs(spec.links),
    next: hrefs(spec.next),
    images,
    title: clean(document.title) || '',
  };
};
