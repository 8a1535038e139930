// Small DOM helpers. Every piece of stored text (test names, commits, branches) goes in with
// textContent, never as HTML, so a hostile test name is shown, not run.

type Attributes = Record<string, string | ((event: Event) => void)>;

/** An element with attributes (`text` sets textContent, `on…` adds a listener) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, children: (Node | string)[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    else if (key === 'className') node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

/** A verdict badge. */
export function badge(status: string): HTMLSpanElement {
  return el('span', { className: `badge ${status}`, text: status });
}

/** A link to a test's page. */
export function testLink(name: string): HTMLAnchorElement {
  return el('a', { href: `#/test/${encodeURIComponent(name)}`, text: name });
}

/** A figure with its label. */
export function card(value: string | number, label: string): HTMLDivElement {
  return el('div', { className: 'card' }, [el('div', { className: 'value', text: String(value) }), el('div', { className: 'label', text: label })]);
}

/** A titled list panel; `describe` renders one item. */
export function listPanel<T>(title: string, items: readonly T[], describe: (item: T) => (Node | string)[]): HTMLDivElement {
  const rows = items.length === 0 ? [el('li', { className: 'muted', text: 'none' })] : items.map((item) => el('li', {}, describe(item)));
  return el('div', { className: 'panel' }, [el('h2', { text: `${title} (${items.length})` }), el('ul', { className: 'plain' }, rows)]);
}

const SVG = 'http://www.w3.org/2000/svg';

/** A small trend line of recent medians. */
export function sparkline(values: readonly number[]): SVGSVGElement {
  const width = 120;
  const height = 28;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  if (values.length < 2) return svg;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || max || 1;
  const points = values.map((value, i) => `${((i / (values.length - 1)) * (width - 4) + 2).toFixed(1)},${(height - 3 - ((value - min) / span) * (height - 6)).toFixed(1)}`);
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points.join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', '#3358d4');
  line.setAttribute('stroke-width', '1.5');
  svg.append(line);
  return svg;
}
