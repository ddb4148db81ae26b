import { ERROR_CODES } from '@persian-hub/client';
import { describe, expect, it } from 'vitest';
import { describeError } from './describeError.js';
import { messagesEn } from './messages.en.js';
import { messagesFa } from './messages.fa.js';

function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value)
    .flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key))
    .sort();
}

describe('message tables', () => {
  it('have the same keys in Persian and English', () => {
    expect(keyPaths(messagesFa)).toEqual(keyPaths(messagesEn));
  });

  it('have the same kind of value (string, function, list) for each key', () => {
    for (const path of keyPaths(messagesFa)) {
      const get = (root: unknown) => path.split('.').reduce<any>((o, k) => o?.[k], root);
      expect(typeof get(messagesEn), path).toBe(typeof get(messagesFa));
    }
  });

  it('have a title and description for every error code in both languages', () => {
    for (const code of ERROR_CODES) {
      for (const table of [messagesFa, messagesEn]) {
        const entry = table.errors[code];
        expect(entry, `${table.locale} ${code}`).toBeDefined();
        expect(entry.title.length).toBeGreaterThan(0);
        const text = describeError({ code, message: 'x', details: {} }, table.locale).description;
        expect(text.length, `${table.locale} ${code}`).toBeGreaterThan(10);
      }
    }
    expect(Object.keys(messagesFa.errors).sort()).toEqual([...ERROR_CODES].sort());
    expect(Object.keys(messagesEn.errors).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('writes Persian strings in Persian', () => {
    expect(messagesFa.card.installed).toBe('نصب شده');
    expect(messagesFa.card.nonCommercial).toBe('غیرتجاری');
    expect(messagesFa.actions.download).toMatch(/[\u0600-\u06FF]/);
  });
});

describe('describeError', () => {
  it('says how much space DISK_FULL needs, in the locale', () => {
    const error = { code: 'DISK_FULL', message: 'ENOSPC', details: { requiredBytes: 1_200_000_000, availableBytes: 300_000_000 } };
    expect(describeError(error, 'fa').description).toContain('۱٫۲ گیگابایت');
    expect(describeError(error, 'fa').description).toContain('۳۰۰ مگابایت');
    expect(describeError(error, 'en').description).toContain('1.2 GB');
    expect(describeError(error, 'en').description).toContain('300 MB');
  });

  it("explains the server adapter's own refusals, with the wait for SERVER_BUSY", () => {
    const busy = { code: 'SERVER_BUSY', message: 'busy', details: { retryAfter: 10 } };
    expect(describeError(busy, 'fa')).toMatchObject({ title: 'سرور مشغول است', description: expect.stringContaining('۱۰ ثانیه') });
    expect(describeError(busy, 'en').description).toContain('10 s');
    for (const code of ['HOST_NOT_ALLOWED', 'CROSS_ORIGIN', 'REQUEST_TIMEOUT']) {
      expect(describeError({ code, message: 'x' }, 'fa').title).not.toBe(messagesFa.unknownError.title);
      expect(describeError({ code, message: 'x' }, 'en').title).not.toBe(messagesEn.unknownError.title);
    }
  });

  it('tells how long to wait when rate limited', () => {
    const error = { code: 'RATE_LIMITED', message: '429', details: { retryAfter: 90 } };
    expect(describeError(error, 'fa').description).toContain('۱ دقیقه و ۳۰ ثانیه');
    expect(describeError(error, 'en').description).toContain('1 min 30 s');
  });

  it('tells the person about a gated repo what to do, and the admin about HF_TOKEN', () => {
    const d = describeError({ code: 'GATED_REPO', message: '403' }, 'en', { repoId: 'x/y' });
    expect(d.description).toContain('\u2068x/y\u2069');
    expect(d.description).toContain('Request it on its Hugging Face page');
    expect(d.description).not.toContain('HF_TOKEN');
    expect(d.admin).toContain('HF_TOKEN');
    expect(d.action).toBe('requestAccess');
  });

  it('offers an offline bundle for network trouble, and leaves mirrors and proxies to the admin', () => {
    for (const code of ['NETWORK', 'BLOCKED', 'STALLED']) {
      for (const locale of ['fa', 'en'] as const) {
        const d = describeError({ code, message: '' }, locale);
        expect(d.description).not.toMatch(/HF_ENDPOINT|HTTPS_PROXY/);
        expect(d.description).toMatch(/بستهٔ آفلاین|offline bundle/);
        expect(d.admin).toContain('HF_ENDPOINT');
        expect(d.action).toBe('importBundle');
      }
    }
  });

  it('never names an environment variable in what the person reads', () => {
    for (const table of [messagesFa, messagesEn]) {
      for (const code of ERROR_CODES) {
        if (code === 'CLI_NOT_FOUND' || code === 'CLI_FAILED') continue; // only hosts that chose the hf CLI see these
        const text = describeError({ code, message: 'x', details: { status: 502 } }, table.locale).description;
        expect(text, `${table.locale} ${code}`).not.toMatch(/HF_[A-Z]+|HTTPS_PROXY/);
      }
    }
  });

  it('writes numbers in Persian digits in Persian messages', () => {
    expect(describeError({ code: 'HUB_ERROR', message: 'garbled', details: { status: 200 } }, 'fa').description).toContain('(کد ۲۰۰)');
    expect(describeError({ code: 'HUB_ERROR', message: 'garbled', details: { status: 200 } }, 'en').description).toContain('(status 200)');
  });

  it('explains the server adapter’s own refusals (a bundle too large, uploads off) in both languages', () => {
    expect(describeError({ code: 'PAYLOAD_TOO_LARGE', message: 'The body is larger than 4194304 bytes' }, 'fa')).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      title: 'فایل بزرگ‌تر از حد مجاز است',
    });
    expect(describeError({ code: 'FORBIDDEN', message: 'Uploading bundles is not enabled on this server' }, 'en').title).toBe('Not allowed');
    for (const locale of ['fa', 'en'] as const) {
      for (const code of ['FORBIDDEN', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'NOT_IMPLEMENTED']) {
        expect(describeError({ code, message: 'x' }, locale).title).not.toBe(locale === 'fa' ? 'خطا' : 'Error');
      }
    }
  });

  it('falls back for codes it does not know and for bare strings', () => {
    expect(describeError({ code: 'SOMETHING_NEW', message: 'boom' }, 'en').title).toBe('Error');
    expect(describeError('boom', 'fa')).toMatchObject({ code: null, technical: 'boom' });
  });
});
