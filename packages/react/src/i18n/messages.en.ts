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
    expectedSize: (size) => `about ${size}`,
    retryIn: (duration, attempt, max) => `Trying again in ${duration} (attempt ${attempt} of ${max})`,
    retryNow: (attempt, max) => `Trying again now (attempt ${attempt} of ${max})`,
    retryBecause: (reason) => `Why: ${reason}`,
    preparingNote: 'Asking Hugging Face for the list of files…',
    stalledNote: 'Nothing has arrived for a while. You can wait, or pause and resume; what arrived is kept. If Hugging Face is blocked on this network, install from an offline bundle.',
    filesDone: (done, total) => `${done} of ${total} files`,
    states: {
      queued: 'Queued',
      preparing: 'Preparing',
      retrying: 'Waiting to retry',
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
    commercial: {
      label: 'Commercial use',
      yes: 'Commercial use: yes',
      no: 'Commercial use: no',
      unclear: 'Commercial use: unclear',
      hintYes: 'The licence allows commercial use.',
      hintNo: 'The licence forbids commercial use.',
      hintUnclear: 'Unclear: the licence may allow it, but the training data’s terms are unknown or stricter. Read the notes and the model card.',
    },
    licenseUnknown: 'not stated',
    gated: 'Access on request',
    gatedHint: 'The maker of this model lets people download it only after they request access on Hugging Face.',
    serverHasToken: 'This server signs in to Hugging Face: once its account has access, the download works.',
    serverNoToken: 'This server has no Hugging Face sign-in, so this model cannot be downloaded here even with access. Tell whoever runs the server.',
    tags: 'Tags',
    cancelled: 'Download cancelled',
    errorCode: (code) => `Error code: ${code}`,
    technicalDetails: 'Technical details',
    forAdmin: 'For the server administrator',
    openRepoPage: 'Open the repository page',
    facts: 'Format and requirements',
    format: (name) => name,
    runtime: (name) => `runs with ${name}`,
    memory: (size) => `memory ≈ ${size}`,
    memoryHint: 'Estimated: about 1.2 × the download, in RAM (or GPU memory).',
    pickle: 'pickle file',
    pickleHint: 'Pickle files can run code when loaded: open them only from a source you trust.',
    more: 'Notes, tags and files',
    notes: 'Notes',
    files: 'Files downloaded',
    wholeRepo: 'Every file of the repository',
    excluded: 'except',
  },
  confirm: {
    cancelTitle: (name) => `Cancel downloading “${name}”?`,
    cancelBody: (done) =>
      done
        ? `The ${done} downloaded so far will be deleted. Pause keeps it, so you can resume later.`
        : 'Nothing has been downloaded yet; the download is taken off the queue.',
    cancelConfirm: 'Cancel and delete',
    cancelKeep: 'Keep downloading',
    removeTitle: (name) => `Remove “${name}”?`,
    removeBody: (size) => `${size} is deleted from the server’s disk. To use it again, it must be downloaded again.`,
    removeConfirm: 'Remove',
    removeKeep: 'Keep it',
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
    importBundle: 'Install from offline bundle',
    requestAccess: 'Request access on Hugging Face',
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
    connection: {
      reconnecting: 'Connection to the server lost; reconnecting. What you see may be out of date.',
      polling: 'Live updates are not getting through; checking every few seconds instead.',
      staleList: 'The list could not be refreshed; what you see may be out of date.',
      retryIn: (duration) => `Trying again in ${duration}.`,
      retrying: 'Trying again…',
      retryNow: 'Try now',
    },
    listErrors: {
      network: {
        title: 'The server cannot be reached',
        description: () => 'This page cannot reach its server: the server may be down, or your connection dropped. Trying again by itself.',
      },
      intermediary: {
        title: 'Something else answered instead of the server',
        description: (c) =>
          `A filter, a proxy or a gateway between you and the server answered${c.status ? ` (status ${c.status})` : ''}, not the server itself. Trying again by itself; if it stays, the network may be blocking this page.`,
        admin: () => 'The answer was not a Persian Hub response: check the reverse proxy in front of the app and whether the app is running.',
      },
      server: {
        title: 'The server could not send the list',
        description: (c) => `The server answered with an error${c.status ? ` (status ${c.status})` : ''}. Trying again by itself; if it stays, tell whoever runs it.`,
      },
      hub: {
        title: 'The server cannot reach Hugging Face',
        description: () => 'The server is fine, but it cannot reach Hugging Face right now. Trying again by itself; installed models still work.',
        admin: () => 'Check the server’s internet access, or set a mirror (HF_ENDPOINT) or a proxy (HTTPS_PROXY).',
      },
    },
    downloadsButton: 'Downloads',
    activeDownloads: (n) => `${n} active`,
    titleProgress: (percent) => `(${percent})`,
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
    close: 'Close',
    showFiles: (n) => `Files (${n})`,
    hideFiles: 'Hide files',
    loadingFiles: 'Loading the file list…',
    moreFiles: (n) => `and ${n} more files`,
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
      title: 'Not found on Hugging Face',
      description: (c) => `${c.repoId ? `${c.repoId} is` : 'This is'} not on Hugging Face any more, or it was made private.`,
      admin: () => 'Check the repository id; a private repository needs a token (HF_TOKEN) of an account that can read it.',
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
      title: 'Access must be requested first',
      description: (c) =>
        `The maker of ${c.repoId ?? 'this model'} lets people download it only after they request access. Request it on its Hugging Face page; once granted, the server can download it with the account that has access.`,
      admin: () => 'Set HF_TOKEN on the server to a read token of the account that was granted access, then restart it.',
    },
    UNAUTHORIZED: {
      title: 'The server’s Hugging Face sign-in was refused',
      description: () => 'Hugging Face did not accept this server’s sign-in. Tell whoever runs the server; nothing is wrong on your side.',
      admin: () => 'The token in HF_TOKEN (or $HF_HOME/token) is invalid or expired: create a new read token.',
    },
    RATE_LIMITED: {
      title: 'Hugging Face asked us to slow down',
      description: (c) => `Too many requests in a short time. Try again in ${orNone(c.retryAfter, 'a few minutes')}.`,
      admin: () => 'Requests with a token (HF_TOKEN) get a higher limit.',
    },
    NETWORK: {
      title: 'The connection to Hugging Face dropped',
      description: () => 'The server could not reach Hugging Face. Try again in a while; if it keeps failing, install from an offline bundle.',
      admin: () => 'If huggingface.co is unreachable from the server, set a mirror (HF_ENDPOINT) or a proxy (HTTPS_PROXY).',
    },
    BLOCKED: {
      title: 'Hugging Face is blocked on this network',
      description: () =>
        'The server’s internet connection cannot get to Hugging Face (filtered or sanctioned). Install this model from an offline bundle: someone with access makes it and brings it over, on a USB drive for instance.',
      admin: () => 'Point the server at a mirror (HF_ENDPOINT) or a proxy (HTTPS_PROXY) that can reach the Hub.',
    },
    STALLED: {
      title: 'The download stopped moving',
      description: () => 'No data arrived for a long time. Try again: what was downloaded is kept. If it keeps happening, install from an offline bundle.',
      admin: () => 'A slow or filtered link: a mirror (HF_ENDPOINT) or a proxy (HTTPS_PROXY) may help.',
    },
    CHECKSUM_MISMATCH: {
      title: 'A file arrived damaged',
      description: (c) => `${c.file ?? 'A downloaded file'} did not match the original, so it was not kept. Download again.`,
      admin: () => 'If it repeats, a mirror or a proxy between the server and the Hub may be altering files.',
    },
    DISK_FULL: {
      title: 'Not enough space on the server',
      description: (c) =>
        c.requiredBytes
          ? `This download needs ${c.requiredBytes}${c.availableBytes ? `, but only ${c.availableBytes} is free` : ''}. Remove a model you do not use, or ask whoever runs the server for more space.`
          : 'The server’s disk is full. Remove a model you do not use, or ask whoever runs the server for more space.',
      admin: () => 'Free space, or move the cache (HF_HOME / HF_HUB_CACHE) to a larger disk.',
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
      title: 'Hugging Face gave an unexpected answer',
      description: (c) => `Hugging Face answered with an error${c.status ? ` (status ${c.status})` : ''}. Try again in a while.`,
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
      description: () => 'The server cannot reach the store its instances share for downloads; nothing was changed. Try again in a moment.',
      admin: () => 'Redis (the REDIS_URL of the instances) is down or unreachable from this instance; downloads already running continue and are saved when it is back.',
    },
    RUNNER_GONE: {
      title: 'No answer from the server running this download',
      description: () =>
        'Another server instance runs this download and did not answer in time. Your request is kept and applies when another instance takes the download over.',
      admin: () => 'The instance running the job is frozen, overloaded or dead; a dead instance’s jobs go to another one when their lock expires (lockDurationMs, 30 s).',
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
