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
  readonly status: number | null;
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
  /** What happened and what to do next. */
  readonly description: (ctx: ErrorMessageContext) => string;
}

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
    readonly states: {
      readonly queued: string;
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
    readonly nonCommercial: string;
    readonly nonCommercialHint: string;
    readonly gated: string;
    readonly gatedHint: string;
    readonly tags: string;
    readonly cancelled: string;
    readonly errorCode: (code: string) => string;
    readonly technicalDetails: string;
    /** Link to the repo page where gated terms are accepted. */
    readonly openRepoPage: string;
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
