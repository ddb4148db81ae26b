import { describe, expect, it } from 'vitest';
import { PersianHubError, isPersianHubError } from '../PersianHubError.js';
import { TRANSCRIPT_NAMES, loadTranscript } from './fixtures.testutil.js';
import { MAX_CLI_MESSAGE_LENGTH, mapHfCliError } from './mapHfCliError.js';

function traceback(exceptionLines: string): string {
  return [
    'Traceback (most recent call last):',
    '  File "/usr/lib/python3/dist-packages/huggingface_hub/cli/hf.py", line 59, in main',
    '    service.run()',
    '    ^^^^^^^^^^^^^',
    exceptionLines,
    '',
  ].join('\n');
}

describe('mapHfCliError on the real transcripts', () => {
  it.each([
    ['hf-download-repo-not-found', 'REPO_NOT_FOUND', 'RepositoryNotFoundError', 401, 'Repository Not Found for url: http://127.0.0.1:18080/api/models/nobody/does-not-exist/revision/main.'],
    ['hf-download-gated', 'GATED_REPO', 'GatedRepoError', 401, 'Access to dataset mozilla-foundation/common_voice_13_0 is restricted.'],
    ['hf-download-entry-not-found', 'ENTRY_NOT_FOUND', 'EntryNotFoundError', 404, 'nothere.bin does not exist on "main"'],
  ] as const)('%s → %s, keeping the CLI message', (name, code, errorClass, status, excerpt) => {
    const transcript = loadTranscript(name);
    const error = mapHfCliError({ exitCode: transcript.exitCode, stderr: transcript.stderr, stdout: transcript.stdout });
    expect(error).toBeInstanceOf(PersianHubError);
    expect(isPersianHubError(error)).toBe(true);
    expect(error?.code).toBe(code);
    expect(error?.message).toContain(excerpt);
    expect(error?.message.startsWith(`${status} Client Error.`)).toBe(true);
    expect(error?.message).not.toContain('Traceback');
    expect(error?.message).not.toContain('requests.exceptions.HTTPError');
    expect(error?.details).toEqual({ exitCode: transcript.exitCode, errorClass, status });
    expect(transcript.exitCode).toBe(1);
  });

  it.each(TRANSCRIPT_NAMES.filter((name) => loadTranscript(name).exitCode === 0))('%s succeeded: null', (name) => {
    const transcript = loadTranscript(name);
    expect(mapHfCliError({ exitCode: transcript.exitCode, stderr: transcript.stderr, stdout: transcript.stdout })).toBeNull();
  });

  it('maps every failing transcript to something', () => {
    for (const name of TRANSCRIPT_NAMES) {
      const transcript = loadTranscript(name);
      const error = mapHfCliError({ exitCode: transcript.exitCode, stderr: transcript.stderr });
      expect(error === null).toBe(transcript.exitCode === 0);
    }
  });
});

describe('mapHfCliError', () => {
  it.each([
    ['huggingface_hub.errors.RevisionNotFoundError: 404 Client Error.\n\nRevision Not Found for url: x.\nInvalid rev id: nope', 'REVISION_NOT_FOUND', 404],
    ['huggingface_hub.errors.RemoteEntryNotFoundError: 404 Client Error.\n\nEntry Not Found for url: x.', 'ENTRY_NOT_FOUND', 404],
    ['huggingface_hub.errors.LocalEntryNotFoundError: An error happened while trying to locate the file on the Hub and we cannot find the requested files in the local cache.', 'NETWORK', undefined],
    ["requests.exceptions.ConnectionError: HTTPSConnectionPool(host='huggingface.co', port=443): Max retries exceeded", 'NETWORK', undefined],
    ['httpx.ConnectError: [Errno 111] Connection refused', 'NETWORK', undefined],
    ["requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='cdn-lfs.hf.co', port=443): Read timed out. (read timeout=10)", 'NETWORK', undefined],
    ['requests.exceptions.Timeout: timed out', 'NETWORK', undefined],
    ['huggingface_hub.errors.HfHubHTTPError: 429 Client Error: Too Many Requests for url: https://huggingface.co/api/models/x', 'RATE_LIMITED', 429],
    ['huggingface_hub.errors.HfHubHTTPError: 401 Client Error: Unauthorized for url: https://huggingface.co/api/models/x\n\nInvalid credentials in Authorization header', 'UNAUTHORIZED', 401],
    ['huggingface_hub.errors.HfHubHTTPError: 500 Server Error: Internal Server Error for url: https://huggingface.co/x', 'HUB_ERROR', 500],
    ["OSError: [Errno 28] No space left on device: '/home/user/.cache/huggingface/hub/blobs/x.incomplete'", 'DISK_FULL', undefined],
    ['OSError: Consistency check failed: file should be of size 100 but has size 50 ((…)model.bin).\nThis is usually due to network issues while downloading the file. Please retry with `force_download=True`.', 'CHECKSUM_MISMATCH', undefined],
    ['KeyboardInterrupt', 'CANCELLED', undefined],
    ["ModuleNotFoundError: No module named 'requests'", 'CLI_FAILED', undefined],
  ] as const)('maps %j → %s', (exception, code, status) => {
    const error = mapHfCliError({ exitCode: 1, stderr: traceback(exception) });
    expect(error?.code).toBe(code);
    expect(error?.details.status).toBe(status);
    const firstLine = exception.split('\n')[0] ?? '';
    const className = /^([\w.]+)/.exec(firstLine)?.[1]?.split('.').at(-1);
    expect(error?.details.errorClass).toBe(className);
    const text = exception.includes(': ') ? exception.slice(exception.indexOf(': ') + 2) : '';
    if (text !== '') expect(error?.message).toBe(text.trim());
  });

  it.each([
    ["Repository 'nobody/none' not found. If the repo is private, make sure you are authenticated and your token has the required permissions.", 'REPO_NOT_FOUND'],
    ["Model 'nobody/none' not found. If the repo is private, make sure you are authenticated.", 'REPO_NOT_FOUND'],
    ['Repository not found. Check the `repo_id` and `repo_type` parameters. If the repo is private, make sure you are authenticated.', 'REPO_NOT_FOUND'],
    ["Revision not found in model 'org/x'.", 'REVISION_NOT_FOUND'],
    ["Access denied. Dataset 'org/x' requires approval.", 'GATED_REPO'],
    ['Access denied. This repository requires approval.', 'GATED_REPO'],
    ["File not found in model 'org/x'.\nURL: https://huggingface.co/org/x/resolve/main/nope.bin", 'ENTRY_NOT_FOUND'],
    ["Not logged in. Run 'hf auth login' first.", 'UNAUTHORIZED'],
    ['429 Client Error: Too Many Requests for url: https://huggingface.co/api/models/x', 'RATE_LIMITED'],
    ['Invalid value. Something odd', 'CLI_FAILED'],
  ] as const)('maps the py ≥1.0 short message %j → %s', (message, code) => {
    const stderr = `\rFetching 2 files:   0%|          | 0/2 [00:00<?, ?it/s]\n\x1b[31mError: ${message}\x1b[0m\n\x1b[90mHint: set HF_DEBUG=1 as environment variable for full traceback.\x1b[0m\n`;
    const error = mapHfCliError({ exitCode: 1, stderr });
    expect(error?.code).toBe(code);
    expect(error?.message).toBe(message);
    expect(error?.details.errorClass).toBeNull();
  });

  it('prefers the traceback class when HF_DEBUG also printed one', () => {
    const stderr = `Error: Repository not found.\n${traceback('huggingface_hub.errors.GatedRepoError: 403 Client Error.\n\nCannot access gated repo.')}`;
    expect(mapHfCliError({ exitCode: 1, stderr })?.code).toBe('GATED_REPO');
  });

  it('ignores tqdm redraws inside the traceback', () => {
    const stderr = traceback('huggingface_hub.errors.RepositoryNotFoundError: 404 Client Error.\r\rFetching 2 files:   0%|          | 0/2 [00:00<?, ?it/s]\nRepository Not Found');
    expect(mapHfCliError({ exitCode: 1, stderr })?.message).toBe('404 Client Error.\n\nRepository Not Found');
  });

  it('caps long messages', () => {
    const error = mapHfCliError({ exitCode: 1, stderr: traceback(`ValueError: ${'x'.repeat(10_000)}`) });
    expect(error?.message).toHaveLength(MAX_CLI_MESSAGE_LENGTH);
    expect(error?.code).toBe('CLI_FAILED');
  });

  it('gives CLI_FAILED with the last lines of stderr when it recognises nothing', () => {
    const error = mapHfCliError({ exitCode: 2, stderr: 'usage: hf download [-h] repo_id\nhf: error: unrecognized arguments: --nope\n' });
    expect(error?.code).toBe('CLI_FAILED');
    expect(error?.message).toContain('unrecognized arguments: --nope');
    expect(error?.details).toEqual({ exitCode: 2, errorClass: null });
  });

  it('says something even with an empty stderr', () => {
    const error = mapHfCliError({ exitCode: 137, stderr: '' });
    expect(error?.code).toBe('CLI_FAILED');
    expect(error?.message).toBe('The Hugging Face CLI exited with code 137');
  });

  it('returns null on success even when stderr is noisy', () => {
    expect(mapHfCliError({ exitCode: 0, stderr: traceback('RuntimeError: ignored') })).toBeNull();
  });

  it('never throws on garbage', () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    expect(() => mapHfCliError({ exitCode: 1, stderr: bytes, stdout: bytes })).not.toThrow();
  });
});
