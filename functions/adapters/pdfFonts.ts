/**
 * The standard PDF fonts the product draws with (pdf-lib embeds them by
 * name). Only these fonts' metrics are bundled (infra/constructs/bundling.ts):
 * a font used anywhere must be listed here.
 */
export const PDF_FONTS = {
  regular: 'Helvetica',
  bold: 'Helvetica-Bold',
  mono: 'Courier',
} as const;
