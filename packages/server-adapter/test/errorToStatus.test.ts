import { describe, expect, it } from 'vitest';
import { ERROR_CODES, PersianHubError } from '@persian-hub/core';
import { errorToResponse, errorToStatus, HTTP_STATUS_BY_CODE } from '../src/errorToStatus.js';

describe('the code → status table', () => {
  it('has a status for every core error code', () => {
    for (const code of ERROR_CODES) expect(HTTP_STATUS_BY_CODE[code]).toBeGreaterThanOrEqual(400);
  });

  it('matches the REST contract', () => {
    expect(errorToStatus('INVALID_INPUT')).toBe(400);
    expect(errorToStatus('UNAUTHORIZED')).toBe(401);
    expect(errorToStatus('GATED_REPO')).toBe(403);
    expect(errorToStatus('FORBIDDEN')).toBe(403);
    for (const code of ['NOT_FOUND', 'REPO_NOT_FOUND', 'REVISION_NOT_FOUND', 'ENTRY_NOT_FOUND']) expect(errorToStatus(code)).toBe(404);
    expect(errorToStatus('CONFLICT')).toBe(409);
    expect(errorToStatus('PAYLOAD_TOO_LARGE')).toBe(413);
    expect(errorToStatus('UNSUPPORTED_MEDIA_TYPE')).toBe(415);
    expect(errorToStatus('RATE_LIMITED')).toBe(429);
    expect(errorToStatus('DISK_FULL')).toBe(507);
    for (const code of ['NETWORK', 'BLOCKED', 'STALLED', 'HUB_ERROR']) expect(errorToStatus(code)).toBe(502);
    expect(errorToStatus('CLI_NOT_FOUND')).toBe(501);
    for (const code of ['CHECKSUM_MISMATCH', 'CLI_FAILED', 'INTERNAL', 'toString', 'SOMETHING_NEW']) expect(errorToStatus(code)).toBe(500);
  });

  it('blames the client for a bad bundle and its own limits, not the server', () => {
    expect(errorToStatus('BUNDLE_INVALID')).toBe(422);
    expect(errorToStatus('UNSAFE_PATH')).toBe(422);
    expect(errorToStatus('CANCELLED')).toBe(409);
    expect(errorToStatus('HOST_NOT_ALLOWED')).toBe(403);
    expect(errorToStatus('CROSS_ORIGIN')).toBe(403);
    expect(errorToStatus('SERVER_BUSY')).toBe(429);
    expect(errorToStatus('REQUEST_TIMEOUT')).toBe(408);
  });

  it('answers 500 only for INTERNAL and for failures of the server itself', () => {
    const fiveHundreds = Object.entries(HTTP_STATUS_BY_CODE).filter(([, status]) => status === 500).map(([code]) => code).sort();
    // INTERRUPTED is only ever a job's error (an import cut short by a restart), never a request's.
    expect(fiveHundreds).toEqual(['CHECKSUM_MISMATCH', 'CLI_FAILED', 'INTERNAL', 'INTERRUPTED']);
  });
});

describe('errorToResponse', () => {
  it('keeps a PersianHubError message and details but never its cause', () => {
    const error = new PersianHubError('DISK_FULL', 'No space', { cause: new Error('/home/secret'), details: { requiredBytes: 10 } });
    expect(errorToResponse(error)).toEqual({
      status: 507,
      body: { error: { code: 'DISK_FULL', message: 'No space', details: { requiredBytes: 10 } } },
    });
  });

  it('recognises a PersianHubError from another copy of core by name and code', () => {
    const foreign = Object.assign(new Error('Gated'), { name: 'PersianHubError', code: 'GATED_REPO', details: {} });
    expect(errorToResponse(foreign).status).toBe(403);
  });

  it('hides the message of anything else, and of INTERNAL errors', () => {
    for (const error of [new Error('/home/secret/x'), 'boom', null, new PersianHubError('INTERNAL', '/home/secret/y')]) {
      expect(errorToResponse(error)).toEqual({ status: 500, body: { error: { code: 'INTERNAL', message: 'Internal error' } } });
    }
  });
});
