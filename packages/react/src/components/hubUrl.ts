import { trimTrailingSlashes, type RepoType } from '@persian-hub/client';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

/** The repo page on the Hub (or a mirror): datasets live under `/datasets/`. */
export function hubRepoUrl(repoId: string, repoType: RepoType = 'model', endpoint: string = DEFAULT_ENDPOINT): string {
  const base = trimTrailingSlashes(endpoint);
  return `${base}/${repoType === 'dataset' ? 'datasets/' : ''}${repoId}`;
}
