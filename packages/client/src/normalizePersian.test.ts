import { describe, expect, it } from 'vitest';
import { normalizePersian } from './normalizePersian.js';

describe('normalizePersian', () => {
  it('folds Arabic yeh, alef maksura and kaf to their Persian forms', () => {
    expect(normalizePersian('كتاب')).toBe('کتاب');
    expect(normalizePersian('علي')).toBe('علی');
    expect(normalizePersian('موسى')).toBe('موسی');
    expect(normalizePersian('صداي مرد')).toBe(normalizePersian('صدای مرد'));
  });

  it('removes ZWNJ and other zero-width and bidi marks', () => {
    expect(normalizePersian('کتاب\u200Cها')).toBe('کتابها');
    expect(normalizePersian('\u200Fabc\u200E\u200B\u200D\u061C')).toBe('abc');
    expect(normalizePersian('\u2067فارسی\u2069\uFEFF')).toBe('فارسی');
  });

  it('removes diacritics and tatweel', () => {
    expect(normalizePersian('كِتـــابٌ')).toBe('کتاب');
    expect(normalizePersian('رَحْمٰن')).toBe('رحمن');
  });

  it('maps Persian and Arabic-Indic digits to ASCII', () => {
    expect(normalizePersian('۱۴۰۳')).toBe('1403');
    expect(normalizePersian('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(normalizePersian('v۲')).toBe('v2');
  });

  it('folds teh marbuta, heh with yeh and hamza-carrying alefs', () => {
    expect(normalizePersian('مدرسة')).toBe('مدرسه');
    expect(normalizePersian('خانۀ')).toBe('خانه');
    expect(normalizePersian('خانهٔ')).toBe('خانه');
    expect(normalizePersian('آموزش')).toBe('اموزش');
    expect(normalizePersian('أ إ ٱ')).toBe('ا ا ا');
  });

  it('applies NFKC so presentation forms and full-width Latin fold too', () => {
    expect(normalizePersian('\uFEDB\uFE98\uFe8e\uFE8F')).toBe('کتاب'); // ﻛﺘﺎﺏ (Arabic kaf presentation forms)
    expect(normalizePersian('ＢＥＲＴ')).toBe('bert');
  });

  it('lower-cases Latin and collapses whitespace', () => {
    expect(normalizePersian('  Piper\t\n VOICE  ')).toBe('piper voice');
    expect(normalizePersian('a\u00A0b')).toBe('a b');
    expect(normalizePersian('')).toBe('');
  });

  it('is idempotent', () => {
    const once = normalizePersian('صداي  زنِ فارسي‌زبان ۱۲ Kamtera');
    expect(normalizePersian(once)).toBe(once);
  });
});
