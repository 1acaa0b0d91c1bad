import * as mupdf from 'mupdf';

/**
 * PDFs read back as a reader would see them, with MuPDF compiled to
 * WebAssembly (the `mupdf` npm package, pinned in the lockfile): no poppler,
 * nothing to install beside `npm ci`.
 */

function open(pdf: Uint8Array): mupdf.Document {
  return mupdf.Document.openDocument(pdf, 'application/pdf');
}

/** The text each page shows, in reading order, runs of white space (line ends included) made one space. */
export function pdfPagesText(pdf: Uint8Array): string[] {
  const doc = open(pdf);
  try {
    const pages: string[] = [];
    for (let i = 0; i < doc.countPages(); i++) {
      const page = doc.loadPage(i);
      const text = page.toStructuredText('preserve-whitespace');
      pages.push(text.asText().replace(/\s+/g, ' ').trim());
      text.destroy();
      page.destroy();
    }
    return pages;
  } finally {
    doc.destroy();
  }
}

/** All the text the document shows, pages joined by one space. */
export function pdfText(pdf: Uint8Array): string {
  return pdfPagesText(pdf).join(' ');
}

export interface RenderedPage {
  /** The page as a PNG file. */
  png: Uint8Array;
  width: number;
  height: number;
  /** Share of the pixels that are not white: 0 for a blank page. */
  inked: number;
}

/** Render one page (0-based) at this resolution, as a printer's rasteriser would. */
export function renderPdfPage(pdf: Uint8Array, index: number, dpi = 72): RenderedPage {
  const doc = open(pdf);
  try {
    const page = doc.loadPage(index);
    const pixmap = page.toPixmap(mupdf.Matrix.scale(dpi / 72, dpi / 72), mupdf.ColorSpace.DeviceRGB, false);
    const pixels = pixmap.getPixels();
    let inked = 0;
    for (let p = 0; p < pixels.length; p += 3)
      if (pixels[p]! < 250 || pixels[p + 1]! < 250 || pixels[p + 2]! < 250) inked++;
    const rendered = {
      png: pixmap.asPNG(),
      width: pixmap.getWidth(),
      height: pixmap.getHeight(),
      inked: inked / (pixels.length / 3),
    };
    pixmap.destroy();
    page.destroy();
    return rendered;
  } finally {
    doc.destroy();
  }
}
