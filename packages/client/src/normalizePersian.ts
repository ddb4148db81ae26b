/**
 * Folds Persian/Arabic text for search matching (not for display: the folding is lossy).
 *
 * - NFKC first, so Arabic presentation forms (ﻙ, ﻱ, ...) and full-width Latin become base letters.
 * - Arabic yeh ي and alef maksura ى → Persian yeh ی; Arabic kaf ك (and swash kaf ڪ) → keheh ک;
 *   teh marbuta ة and heh with yeh above ۀ → heh ه.
 * - Hamza-carrying alefs أ إ آ ٱ → bare alef ا. Decided on purpose: many Persian keyboards and
 *   users type «اب» for «آب», and a search box should not care. The cost (آ vs ا collide) is
 *   harmless for short catalog queries.
 * - Removes ZWNJ and other zero-width / bidi controls, Arabic diacritics (U+064B–U+065F, U+0670)
 *   and tatweel, so «کتاب‌ها», «کتابها» and «كتـابها» fold to the same string.
 * - Persian (۰–۹) and Arabic-Indic (٠–٩) digits → ASCII; lower-cases; collapses whitespace.
 */
export function normalizePersian(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLES, '')
    .replace(DIACRITICS, '')
    .replace(FOLD_CHARS, (ch) => FOLD[ch] ?? ch)
    .replace(DIGITS, (ch) => String((ch.codePointAt(0) ?? 0) & 0xf))
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

// ZWSP, ZWNJ, ZWJ, LRM, RLM, ALM, bidi embeddings/overrides/isolates, word joiner, BOM, soft hyphen.
const INVISIBLES = /[\u200B-\u200F\u061C\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD]/g;
// Harakat, tanwin, shadda, sukun, small hamzas and other marks, superscript alef; tatweel.
const DIACRITICS = /[\u064B-\u065F\u0670\u0640]/g;
// U+06F0–U+06F9 and U+0660–U+0669: the low nibble is the digit value in both blocks.
const DIGITS = /[\u06F0-\u06F9\u0660-\u0669]/g;

const FOLD: Readonly<Record<string, string>> = {
  '\u064A': '\u06CC', // ي → ی
  '\u0649': '\u06CC', // ى → ی
  '\u0643': '\u06A9', // ك → ک
  '\u06AA': '\u06A9', // ڪ → ک
  '\u0629': '\u0647', // ة → ه
  '\u06C0': '\u0647', // ۀ → ه
  '\u0623': '\u0627', // أ → ا
  '\u0625': '\u0627', // إ → ا
  '\u0622': '\u0627', // آ → ا
  '\u0671': '\u0627', // ٱ → ا
};
const FOLD_CHARS = new RegExp(`[${Object.keys(FOLD).join('')}]`, 'g');
