import { mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCacheDir, resolveEndpoint, resolveHfHome, resolveToken } from './resolveHfEnv.js';

describe('huggingface_hub environment rules', () => {
  it('endpoint: option, else HF_ENDPOINT, else huggingface.co; trailing slashes dropped', () => {
    expect(resolveEndpoint('https://mirror.example/', {})).toBe('https://mirror.example');
    expect(resolveEndpoint(undefined, { HF_ENDPOINT: 'http://127.0.0.1:9/' })).toBe('http://127.0.0.1:9');
    expect(resolveEndpoint(undefined, {})).toBe('https://huggingface.co');
  });

  it('cache dir: option, HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, $HF_HOME/hub, $XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub', () => {
    expect(resolveCacheDir('/o', { HF_HUB_CACHE: '/a' })).toBe('/o');
    expect(resolveCacheDir(undefined, { HF_HUB_CACHE: '/a', HUGGINGFACE_HUB_CACHE: '/b', HF_HOME: '/h' })).toBe('/a');
    expect(resolveCacheDir(undefined, { HUGGINGFACE_HUB_CACHE: '/b', HF_HOME: '/h' })).toBe('/b');
    expect(resolveCacheDir(undefined, { HF_HOME: '/h' })).toBe('/h/hub');
    expect(resolveCacheDir(undefined, { XDG_CACHE_HOME: '/x' })).toBe('/x/huggingface/hub');
    expect(resolveCacheDir(undefined, {})).toBe(join(homedir(), '.cache', 'huggingface', 'hub'));
    expect(resolveHfHome({ HF_HOME: '/h' })).toBe('/h');
  });

  it('token: option, HF_TOKEN, HUGGING_FACE_HUB_TOKEN, then the token file; false and HF_HUB_DISABLE_IMPLICIT_TOKEN send none', () => {
    const home = mkdtempSync(join(tmpdir(), 'ph-hfhome-'));
    writeFileSync(join(home, 'token'), 'hf_from_file\n');
    expect(resolveToken('hf_opt', { HF_TOKEN: 'hf_env' })).toBe('hf_opt');
    expect(resolveToken(undefined, { HF_TOKEN: 'hf_env', HUGGING_FACE_HUB_TOKEN: 'hf_old', HF_HOME: home })).toBe('hf_env');
    expect(resolveToken(undefined, { HUGGING_FACE_HUB_TOKEN: 'hf_old', HF_HOME: home })).toBe('hf_old');
    expect(resolveToken(undefined, { HF_HOME: home })).toBe('hf_from_file');
    expect(resolveToken(undefined, { HF_TOKEN_PATH: join(home, 'token') })).toBe('hf_from_file');
    expect(resolveToken(false, { HF_TOKEN: 'hf_env' })).toBeUndefined();
    expect(resolveToken(undefined, { HF_TOKEN: 'hf_env', HF_HUB_DISABLE_IMPLICIT_TOKEN: '1' })).toBeUndefined();
    expect(resolveToken(undefined, { HF_HOME: join(home, 'missing') })).toBeUndefined();
  });
});
