// The hf-cli backend against the official `hf` CLI (huggingface_hub 0.36.2, Python), not only the
// stand-in: the same contract, with the real client's output, chunked writes, locks and errors.
// A missing client or missing Debian packages fail every test here with what to install.
import { describeHfCliContract } from './hfCliContract.js';
import { locateOfficialHfCli, type OfficialHfCli } from './officialHfCli.js';

let located: OfficialHfCli | undefined;

describeHfCliContract('the official hf CLI (huggingface_hub 0.36.2, Debian python3)', () => {
  located ??= locateOfficialHfCli();
  const { python, peer } = located;
  return {
    options: (env = {}) => ({
      backend: 'hf-cli',
      hfCli: {
        command: python,
        args: ['-m', 'huggingface_hub.cli.hf'],
        // A generous read timeout: a held download must not time out while a loaded machine
        // gets round to releasing it.
        env: { PYTHONPATH: peer, HF_HUB_DOWNLOAD_TIMEOUT: '120', HF_HUB_ETAG_TIMEOUT: '120', ...env },
      },
    }),
  };
});
