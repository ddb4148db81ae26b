import type { PersianHubErrorCode } from '@persian-hub/client';

export type Locale = 'fa' | 'en';
export type KindFilter = 'all' | 'tts' | 'asr' | 'llm' | 'model' | 'embedding' | 'dataset';

/**
 * Facts an error message may use. Numbers are formatted before they reach the table so that
 * message files stay plain strings and never import the formatters.
 */
export interface ErrorMessageContext {
  readonly repoId: string | null;
  /** Formatted, e.g. «۱٫۲ گیگابایت». */
  readonly requiredBytes: string | null;
  readonly availableBytes: string | null;
  /** Formatted duration, e.g. «۳۰ ثانیه». */
  readonly retryAfter: string | null;
  readonly file: string | null;
  readonly revision: string | null;
  /** The HTTP status, formatted in the locale's digits («۵۰۲»). */
  readonly status: string | null;
}

/** Codes only the server adapter sends (see `@persian-hub/server-adapter`'s errorToStatus). */
export type HttpOnlyErrorCode =
  | 'FORBIDDEN'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'NOT_IMPLEMENTED'
  | 'HOST_NOT_ALLOWED'
  | 'CROSS_ORIGIN'
  | 'SERVER_BUSY'
  | 'REQUEST_TIMEOUT';

export interface ErrorMessage {
  readonly title: string;
  /** What happened and what to do next, for the person who clicked: no settings, no jargon. */
  readonly description: (ctx: ErrorMessageContext) => string;
  /** For whoever runs the server (environment variables, mirrors, tokens); shown folded, with the technical details. */
  readonly admin?: (ctx: ErrorMessageContext) => string;
}

/** Who failed when the catalog could not be fetched: the page's own server, something in between, or the Hub behind it. */
export type ListErrorCulprit = 'network' | 'intermediary' | 'server' | 'hub';

/**
 * Every string the components show. `messages.fa.ts` and `messages.en.ts` are both typed with
 * this interface, so a key missing in one language is a compile error.
 */
export interface Messages {
  readonly locale: Locale;
  readonly dir: 'rtl' | 'ltr';
  readonly units: {
    /** B, kB, MB, GB, TB (decimal, as the Hub shows sizes). */
    readonly bytes: readonly [string, string, string, string, string];
    readonly perSecond: (amount: string) => string;
    readonly hours: (n: string) => string;
    readonly minutes: (n: string) => string;
    readonly seconds: (n: string) => string;
    /** Joins at most two duration parts. */
    readonly durationJoin: (a: string, b: string) => string;
    readonly unknown: string;
  };
  readonly progress: {
    readonly label: string;
    readonly range: (done: string, total: string) => string;
    readonly rangeSameUnit: (done: string, total: string) => string;
    readonly unknownTotal: (done: string) => string;
    readonly valueText: (percent: string, range: string) => string;
    readonly withState: (state: string, text: string) => string;
    readonly eta: (duration: string) => string;
    readonly currentFile: string;
    /** Under the bar while the job waits for another program downloading the same file. */
    readonly waitingNote: string;
    /** While the total is not known yet: the size the catalog expects. */
    readonly expectedSize: (size: string) => string;
    /** The job waits before trying a file again. */
    readonly retryIn: (duration: string, attempt: string, max: string) => string;
    readonly retryNow: (attempt: string, max: string) => string;
    /** Why it waits, after retryIn: the failure's title. */
    readonly retryBecause: (reason: string) => string;
    /** Under the bar while the job asks the Hub for the file list. */
    readonly preparingNote: string;
    /** Under the bar when nothing has arrived for a while: what the person can do. */
    readonly stalledNote: string;
    readonly filesDone: (done: string, total: string) => string;
    readonly states: {
      readonly queued: string;
      readonly preparing: string;
      readonly retrying: string;
      readonly downloading: string;
      readonly verifying: string;
      readonly paused: string;
      readonly stalled: string;
      readonly waiting: string;
      readonly error: string;
      readonly done: string;
    };
  };
  readonly kinds: { readonly [K in KindFilter]: string };
  readonly card: {
    readonly installed: string;
    readonly provider: (name: string) => string;
    readonly size: string;
    readonly license: string;
    /** Kept for hosts that used it; the card shows `commercial` now. */
    readonly nonCommercial: string;
    readonly nonCommercialHint: string;
    /** Commercial use as yes / no / unclear: many permissive licences sit on data of unknown terms. */
    readonly commercial: {
      readonly label: string;
      readonly yes: string;
      readonly no: string;
      readonly unclear: string;
      readonly hintYes: string;
      readonly hintNo: string;
      readonly hintUnclear: string;
    };
    /** Licence ids people cannot read as they are. */
    readonly licenseUnknown: string;
    readonly gated: string;
    readonly gatedHint: string;
    /** Beside a gated model: whether the server can download it once access is granted. */
    readonly serverHasToken: string;
    readonly serverNoToken: string;
    readonly tags: string;
    readonly cancelled: string;
    readonly errorCode: (code: string) => string;
    readonly technicalDetails: string;
    /** The admin part of an error, inside the technical details. */
    readonly forAdmin: string;
    /** Link to the repo page where gated terms are accepted. */
    readonly openRepoPage: string;
    /** Chips: what the files are and what they need. */
    readonly facts: string;
    readonly format: (name: string) => string;
    readonly runtime: (name: string) => string;
    readonly memory: (size: string) => string;
    readonly memoryHint: string;
    readonly pickle: string;
    readonly pickleHint: string;
    /** The folded part of a card: notes, tags, files. */
    readonly more: string;
    readonly notes: string;
    readonly files: string;
    readonly wholeRepo: string;
    readonly excluded: string;
  };
  /** The questions before something is thrown away. */
  readonly confirm: {
    readonly cancelTitle: (name: string) => string;
    /** `done`: what was downloaded so far, formatted; null when nothing was. */
    readonly cancelBody: (done: string | null) => string;
    readonly cancelConfirm: string;
    readonly cancelKeep: string;
    readonly removeTitle: (name: string) => string;
    readonly removeBody: (size: string) => string;
    readonly removeConfirm: string;
    readonly removeKeep: string;
  };
  readonly actions: {
    readonly download: string;
    readonly retry: string;
    readonly downloadAgain: string;
    readonly pause: string;
    readonly resume: string;
    readonly cancel: string;
    readonly remove: string;
    readonly openFolder: string;
    readonly viewOnHub: string;
    readonly opensInNewTab: string;
    readonly importBundle: string;
    readonly requestAccess: string;
  };
  readonly hub: {
    readonly title: string;
    readonly subtitle: string;
    readonly searchLabel: string;
    readonly searchPlaceholder: string;
    readonly kindLabel: string;
    readonly count: (n: string) => string;
    readonly loading: string;
    readonly emptyTitle: string;
    readonly emptyDescription: string;
    readonly emptyQuery: (query: string) => string;
    readonly clearSearch: string;
    readonly errorTitle: string;
    readonly retry: string;
    readonly resultsLabel: string;
    /** The button that uploads an offline bundle (.tar) picked from the user's disk. */
    readonly importBundle: string;
    readonly importBundleHint: string;
    readonly importBundleErrorTitle: string;
    /** The thin line shown while live updates or the list are not reaching this page. */
    readonly connection: {
      readonly reconnecting: string;
      readonly polling: string;
      readonly staleList: string;
      readonly retryIn: (duration: string) => string;
      readonly retrying: string;
      readonly retryNow: string;
    };
    /** Why the catalog could not be fetched, by who failed (never blaming the Hub for our own server). */
    readonly listErrors: { readonly [K in ListErrorCulprit]: ErrorMessage };
    readonly downloadsButton: string;
    readonly activeDownloads: (n: string) => string;
    /** Prefix of the tab title while something downloads, e.g. «(۴۵٪)». */
    readonly titleProgress: (percent: string) => string;
  };
  readonly toasts: {
    readonly started: (name: string) => string;
    readonly completed: (name: string) => string;
    readonly failed: (name: string) => string;
    /** The same three for a job that installs an offline bundle instead of downloading. */
    readonly importStarted: (name: string) => string;
    readonly imported: (name: string) => string;
    readonly importFailed: (name: string) => string;
    readonly close: string;
    readonly region: string;
  };
  readonly downloads: {
    readonly title: string;
    readonly empty: string;
    readonly close: string;
    readonly showFiles: (n: string) => string;
    readonly hideFiles: string;
    readonly loadingFiles: string;
    readonly moreFiles: (n: string) => string;
    readonly file: string;
    readonly size: string;
    readonly progress: string;
    readonly status: string;
    readonly fileStatus: {
      readonly pending: string;
      readonly downloading: string;
      readonly verifying: string;
      readonly completed: string;
      readonly cached: string;
      readonly failed: string;
    };
    readonly jobStatus: {
      readonly queued: string;
      readonly resolving: string;
      readonly downloading: string;
      readonly verifying: string;
      readonly completed: string;
      readonly failed: string;
      readonly cancelled: string;
      readonly paused: string;
    };
  };
  readonly errors: { readonly [C in PersianHubErrorCode]: ErrorMessage };
  /** The server adapter's own codes (a request it refused), shown like job errors. */
  readonly httpErrors: { readonly [C in HttpOnlyErrorCode]: ErrorMessage };
  /** For codes this version does not know yet (a newer server). */
  readonly unknownError: ErrorMessage;
}
