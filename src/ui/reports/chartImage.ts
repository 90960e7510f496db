/**
 * A chart's <svg> as a standalone file: every element's computed colours, strokes and fonts
 * inlined (the page's CSS variables resolved), so the file renders the same outside the page; and
 * as a PNG at 2× through an <img> of that SVG drawn on a canvas.
 */

/** Presentation properties copied from the computed style onto each element. */
const PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display',
] as const;

/** "var(--panel)" in an attribute → the value the page resolves it to. */
function resolveVars(value: string, root: CSSStyleDeclaration): string {
  return value.replace(/var\((--[\w-]+)(?:\s*,\s*([^)]*))?\)/g, (_, name: string, fallback?: string) => {
    const v = root.getPropertyValue(name).trim();
    return v !== '' ? v : (fallback ?? '');
  });
}

/** The SVG's markup with every style inlined, a background of the panel's colour, and its size set. */
export function standaloneSvg(svg: SVGSVGElement): string {
  const rootStyle = getComputedStyle(svg);
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [clone, ...clone.querySelectorAll('*')];
  originals.forEach((el, i) => {
    const copy = copies[i];
    if (!copy) return;
    for (const attr of [...copy.attributes])
      if (attr.value.includes('var(')) copy.setAttribute(attr.name, resolveVars(attr.value, rootStyle));
    const cs = getComputedStyle(el);
    const style = PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';');
    copy.setAttribute('style', style);
    copy.removeAttribute('class');
  });
  const { width, height } = svg.getBoundingClientRect();
  const w = Math.round(width) || Number(svg.getAttribute('width')) || 800;
  const h = Math.round(height) || Number(svg.getAttribute('height')) || 400;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(h));
  clone.setAttribute('viewBox', `0 0 ${w} ${h}`);
  const panel = getComputedStyle(svg.closest('.panel') ?? document.body).backgroundColor;
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', panel || '#ffffff');
  clone.insertBefore(bg, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}

/** The SVG drawn at `scale`× on a canvas, as PNG bytes. */
export async function svgToPng(markup: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser gave no 2D canvas to draw the PNG on');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The chart's drawing inside the element of that test id: its recharts surface, or the planned chart's own SVG. */
export function chartSvg(testId: string): SVGSVGElement | null {
  return document.querySelector<SVGSVGElement>(
    `[data-testid="${testId}"] svg.recharts-surface, [data-testid="${testId}"] svg.chart-surface`,
  );
}
