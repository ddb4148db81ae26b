import type { Messages } from './Messages.js';

const orNone = (value: string | null, fallback: string): string => value ?? fallback;

export const messagesEn: Messages = {
  locale: 'en',
  dir: 'ltr',
  units: {
    bytes: ['B', 'kB', 'MB', 'GB', 'TB'],
    perSecond: (amount) => `${amount}/s`,
    hours: (n) => `${n} h`,
    minutes: (n) => `${n} min`,
    seconds: (n) => `${n} s`,
    durationJoin: (a, b) => `${a} ${b}`,
    unknown: 'unknown',
  },
  progress: {
    label: 'Download progress',
    range: (done, total) => `${done} of ${total}`,
    rangeSameUnit: (done, total) => `${done} of ${total}`,
    unknownTotal: (done) => `${done} received, total size unknown`,
    valueText: (percent, range) => `${percent}, ${range}`,
    withState: (state, text) => `${state}: ${text}`,
    eta: (duration) => `${duration} left`,
    currentFile: 'Current file',
    waitingNote: 'Another program on the server is downloading this file; when it finishes, its copy is used instead of downloading it again.',
    states: {
      queued: 'Queued',
      downloading: 'Downloading',
      verifying: 'Verifying',
      paused: 'Paused',
      stalled: 'Stalled',
      waiting: 'Waiting for another program',
      error: 'Error',
      done: 'Done',
    },
  },
  kinds: {
    all: 'All',
    tts: 'Text to speech',
    asr: 'Speech recognition',
    llm: 'LLM',
    model: 'Model',
    embedding: 'Embedding',
    dataset: 'Dataset',
  },
  card: {
    installed: 'Installed',
    provider: (name) => `by ${name}`,
    size: 'Size',
    license: 'License',
    nonCommercial: 'Non-commercial',
    nonCommercialHint: 'Commercial use is not allowed',
    gated: 'Needs token / accepting terms',
    gatedHint: 'Accept the terms on the repository page and set HF_TOKEN to download',
    tags: 'Tags',
    cancelled: 'Download cancelled',
    errorCode: (code) => `Error code: ${code}`,
    technicalDetails: 'Technical details',
    openRepoPage: 'Open the repository page',
  },
  actions: {
    download: 'Download',
    retry: 'Retry',
    downloadAgain: 'Download again',
    pause: 'Pause',
    resume: 'Resume',
    cancel: 'Cancel',
    remove: 'Remove',
    openFolder: 'Open folder',
    viewOnHub: 'View on Hugging Face',
    opensInNewTab: '(opens in a new tab)',
  },
  hub: {
    title: 'Persian Hub',
    subtitle: 'Persian models, voices and datasets from Hugging Face',
    searchLabel: 'Search',
    searchPlaceholder: 'Search in Persian or English…',
    kindLabel: 'Kind',
    count: (n) => `${n} items`,
    loading: 'Loading…',
    emptyTitle: 'Nothing found',
    emptyDescription: 'The list is empty.',
    emptyQuery: (query) => `No results for “${query}”. Try another word or clear the kind filter.`,
    clearSearch: 'Clear search',
    errorTitle: 'Could not load the list',
    retry: 'Try again',
    resultsLabel: 'Results',
    importBundle: 'Install from offline bundle…',
    importBundleHint: 'Pick a .tar made with “export” (from a USB drive, say); every file is verified before anything is installed.',
    importBundleErrorTitle: 'The bundle was not installed',
  },
  toasts: {
    started: (name) => `Started downloading “${name}”`,
    completed: (name) => `Finished downloading “${name}”`,
    failed: (name) => `Download of “${name}” failed`,
    importStarted: (name) => `Installing “${name}” from an offline bundle`,
    imported: (name) => `“${name}” installed from an offline bundle`,
    importFailed: (name) => `Installing “${name}” from an offline bundle failed`,
    close: 'Close',
    region: 'Notifications',
  },
  downloads: {
    title: 'Downloads',
    empty: 'No downloads.',
    file: 'File',
    size: 'Size',
    progress: 'Progress',
    status: 'Status',
    fileStatus: {
      pending: 'Pending',
      downloading: 'Downloading',
      verifying: 'Verifying',
      completed: 'Done',
      cached: 'Already cached',
      failed: 'Failed',
    },
    jobStatus: {
      queued: 'Queued',
      resolving: 'Preparing',
      downloading: 'Downloading',
      verifying: 'Verifying',
      completed: 'Completed',
      failed: 'Failed',
      cancelled: 'Cancelled',
      paused: 'Paused',
    },
  },
  errors: {
    REPO_NOT_FOUND: {
      title: 'Repository not found',
      description: (c) =>
        `The repository ${orNone(c.repoId, '')} does not exist on the Hub or is private. Check the name; if it is private, set HF_TOKEN.`,
    },
    REVISION_NOT_FOUND: {
      title: 'Revision not found',
      description: (c) => `The branch, tag or commit ${orNone(c.revision, 'requested')} is not in this repository.`,
    },
    ENTRY_NOT_FOUND: {
      title: 'File not found',
      description: (c) => `The file ${orNone(c.file, 'requested')} is not in this revision of the repository.`,
    },
    GATED_REPO: {
      title: 'Access is restricted',
      description: (c) =>
        `${c.repoId ? `The repository ${c.repoId}` : 'This repository'} requires accepting its terms. Sign in on the repository page and request access, then create a read token and set it as HF_TOKEN on the server.`,
    },
    UNAUTHORIZED: {
      title: 'Token rejected',
      description: () => 'The Hugging Face token is invalid or expired. Check HF_TOKEN or create a new token.',
    },
    RATE_LIMITED: {
      title: 'Rate limited',
      description: (c) =>
        `The Hub is limiting requests. Wait ${orNone(c.retryAfter, 'a few minutes')} and try again. HF_TOKEN gives a higher limit.`,
    },
    NETWORK: {
      title: 'Network error',
      description: () =>
        'Could not reach the Hub. Check the connection; if huggingface.co is unreachable, use a mirror (HF_ENDPOINT), a proxy (HTTPS_PROXY) or an offline bundle.',
    },
    BLOCKED: {
      title: 'The Hub is blocked',
      description: () =>
        'Access to the Hub seems to be blocked from this network. Use a mirror (HF_ENDPOINT), a proxy (HTTPS_PROXY) or an offline bundle.',
    },
    STALLED: {
      title: 'Download stalled',
      description: () =>
        'No data has arrived for a while. Resume; if it happens again, use a mirror (HF_ENDPOINT), a proxy or an offline bundle.',
    },
    CHECKSUM_MISMATCH: {
      title: 'File is corrupt',
      description: (c) =>
        `The hash of ${orNone(c.file, 'the downloaded file')} does not match the Hub. Download again; if it repeats, a mirror or proxy may be altering the file.`,
    },
    DISK_FULL: {
      title: 'Not enough disk space',
      description: (c) =>
        c.requiredBytes
          ? `This download needs ${c.requiredBytes}${c.availableBytes ? ` but only ${c.availableBytes} is free` : ''}. Free some space or move the cache (HF_HOME) to another disk.`
          : 'The disk is full. Free some space or move the cache (HF_HOME) to another disk.',
    },
    UNSAFE_PATH: {
      title: 'Unsafe file path',
      description: (c) =>
        `The path ${orNone(c.file, 'of a file')} points outside the target folder, so it was not downloaded.`,
    },
    CANCELLED: {
      title: 'Cancelled',
      description: () => 'The download was cancelled. Start it again whenever you like.',
    },
    INVALID_INPUT: {
      title: 'Invalid request',
      description: () => 'The request input is not valid. See the technical details.',
    },
    NOT_FOUND: {
      title: 'Not found',
      description: () => 'This item no longer exists. Refresh the list.',
    },
    CONFLICT: {
      title: 'Not possible right now',
      description: (c) =>
        c.file
          ? `${c.file} differs from the installed copy of the same commit, so nothing was changed: an installed model is never overwritten. Check where the offline bundle or the mirror came from.`
          : 'This action conflicts with the current state, e.g. a download is using this model.',
    },
    CLI_NOT_FOUND: {
      title: 'hf CLI not found',
      description: () =>
        'The hf program (from huggingface_hub) is not installed on the server. Install it or use the built-in downloader.',
    },
    CLI_FAILED: {
      title: 'hf CLI failed',
      description: () => 'The hf program did not finish. See the technical details and try again.',
    },
    HUB_ERROR: {
      title: 'Hub error',
      description: (c) => `The Hub gave an unexpected answer${c.status ? ` (status ${c.status})` : ''}. Try again later.`,
    },
    BUNDLE_INVALID: {
      title: 'Invalid offline bundle',
      description: (c) =>
        c.file
          ? `${c.file} in the offline bundle is damaged or does not match the bundle's list; nothing was installed. Build or copy the bundle again.`
          : 'The offline bundle is incomplete or damaged; nothing was installed. Build or fetch it again.',
    },
    BUNDLE_UNTRUSTED: {
      title: 'Bundle not signed by a trusted key',
      description: () =>
        'This server only accepts offline bundles signed by a key it trusts, and this one is unsigned or signed by an unknown key; nothing was installed. Get a bundle signed by a trusted maker.',
    },
    INTERRUPTED: {
      title: 'Interrupted',
      description: () => 'This stopped before it finished because the server was restarted; nothing of it was installed. Start it again.',
    },
    JOB_STORE_UNAVAILABLE: {
      title: 'Job store unreachable',
      description: () => 'The server cannot reach the store its instances share for downloads (Redis); nothing was changed. Try again in a moment.',
    },
    RUNNER_GONE: {
      title: 'No answer from the server running this download',
      description: () =>
        'Another server instance runs this download and did not answer in time. Your request is kept and applies when another instance takes the download over.',
    },
    INTERNAL: {
      title: 'Internal error',
      description: () => 'Something unexpected went wrong. Try again, and report it if it repeats.',
    },
  },
  httpErrors: {
    FORBIDDEN: {
      title: 'Not allowed',
      description: () => 'This server does not allow that (for example, installing from offline bundles is not enabled on it). Ask its administrator.',
    },
    PAYLOAD_TOO_LARGE: {
      title: 'Larger than the server accepts',
      description: () => 'The server does not take a file this large. Copy the bundle onto the server directly, or ask its administrator to raise the limit.',
    },
    UNSUPPORTED_MEDIA_TYPE: {
      title: 'Unsupported kind of data',
      description: () => 'The server does not accept this kind of data; to install from a bundle, pick the .tar made by “export”.',
    },
    NOT_IMPLEMENTED: {
      title: 'Not supported',
      description: () => 'This server does not support that.',
    },
    HOST_NOT_ALLOWED: {
      title: 'Address not accepted',
      description: () => 'The server does not answer to the address this page was opened with. Open it by the address its administrator gave, or ask them to add this one to the allowed hosts.',
    },
    CROSS_ORIGIN: {
      title: 'Refused: request from another site',
      description: () => 'The server takes changes only from its own pages. Open the Model Hub from the server itself, or ask its administrator to trust this page.',
    },
    SERVER_BUSY: {
      title: 'Server busy',
      description: (c) =>
        c.retryAfter ? `The server is handling as many bundles as it allows. Try again in ${c.retryAfter}.` : 'The server is handling as many bundles as it allows. Try again shortly.',
    },
    REQUEST_TIMEOUT: {
      title: 'Upload stalled',
      description: () => 'No data reached the server for a while, so it stopped waiting. Check the connection and send the file again.',
    },
  },
  unknownError: {
    title: 'Error',
    description: () => 'Something went wrong. See the technical details and try again.',
  },
};
