import type { Dispatcher } from 'undici';
import { PersianHubError } from '../PersianHubError.js';
import type { PlannedFile } from './transferFile.js';
import { sizeMismatch } from './transferErrors.js';

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * What an answer to a file request is, before a byte of its body is read: `stream` (the part
 * asked for, or the whole file asked for), `whole-file` (Range was asked and ignored: a 200 with
 * everything), or `refused` (416). Throws when it contradicts the file: a size other than the
 * listing's (Content-Length, Content-Range, a 416's `*\/size`), or a part that starts elsewhere.
 */
export function checkAnswer(
  res: { readonly statusCode: number; readonly headers: Dispatcher.ResponseData['headers'] },
  file: PlannedFile,
  from: number,
  ranged: boolean,
): 'stream' | 'whole-file' | 'refused' {
  if (res.statusCode === 416) {
    const total = Number(/\/(\d+)\s*$/.exec(header(res.headers['content-range']) ?? '')?.[1] ?? NaN);
    if (Number.isSafeInteger(total) && total !== file.size) throw sizeMismatch(file, total);
    return 'refused';
  }
  if (res.statusCode === 200) {
    const length = Number(header(res.headers['content-length']) ?? NaN);
    if (Number.isSafeInteger(length) && length !== file.size) throw sizeMismatch(file, length);
    return ranged ? 'whole-file' : 'stream';
  }
  if (res.statusCode === 206) {
    const cr = header(res.headers['content-range']) ?? '';
    const m = /^bytes (\d+)-(\d+)\/(\d+|\*)/.exec(cr);
    if (!m || Number(m[1]) !== from) {
      throw new PersianHubError('HUB_ERROR', `The server sent the wrong part of ${file.path} (${cr}).`, { details: { status: 502 } });
    }
    if (m[3] !== '*' && Number(m[3]) !== file.size) throw sizeMismatch(file, Number(m[3]));
    return 'stream';
  }
  throw new PersianHubError('HUB_ERROR', `The server answered ${res.statusCode} for ${file.path}.`, { details: { status: 502, file: file.path } });
}
