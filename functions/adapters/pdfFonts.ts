/**
 * The standard PDF fonts the product draws documents with (pdf-lib embeds
 * them by name). Only these fonts' metrics are bundled
 * (infra/constructs/bundling.ts): a font used anywhere must be listed here.
 */
export const PDF_FONTS = {
  regular: 'Helvetica',
  bold: 'Helvetica-Bold',
  mono: 'Courier',
} as const;

/**
 * The font the disclosure letter is drawn with: DejaVu Sans, one font for
 * Latin, Greek, Cyrillic and Arabic (its Arabic letters are joined by the
 * font's own substitutions, with no marks to position), as the
 * `@fontsource/dejavu-sans` package ships it (WOFF; the subset embedded is
 * TrueType). A handler that draws a letter carries these files beside its
 * bundle, in `fonts/` (infra/constructs/bundling.ts); from source they are
 * read in node_modules. The characters both faces print are in
 * functions/domain/letterFontCoverage.ts, made from these files by
 * `npm run fonts:coverage`.
 */
export const LETTER_FONT_PACKAGE = '@fontsource/dejavu-sans';
export const LETTER_FONT_FILES = {
  regular: 'dejavu-sans-latin-400-normal.woff',
  bold: 'dejavu-sans-latin-700-normal.woff',
} as const;
/** Where the package keeps the files. */
export const LETTER_FONT_DIR_IN_PACKAGE = 'files';
/** The folder beside a handler's bundle that holds the files. */
export const BUNDLED_FONT_DIR = 'fonts';
