import type { PersianHubErrorCode, PersianHubErrorDetails } from '../PersianHubError.js';
import type { JobStatus } from '../types.js';

export type Lang = 'fa' | 'en';

/** Left-to-right mark: keeps `--option` and `org/name` readable inside a Persian line. */
const LRM = '\u200E';

/**
 * `--lang` wins; otherwise the POSIX locale order LC_ALL, LC_MESSAGES, LANG (first non-empty).
 * Persian when that value starts with `fa` (`fa_IR.UTF-8`, `fa`), English otherwise.
 */
export function detectLang(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): Lang {
  if (flag === 'fa' || flag === 'en') return flag;
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v.trim() !== '') ?? '';
  return /^fa([_.@-]|$)/i.test(locale.trim()) ? 'fa' : 'en';
}

/** Finds `--lang X` / `--lang=X` in raw argv, so even a usage error speaks the right language. */
export function langFlagFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--lang') return argv[i + 1];
    if (a.startsWith('--lang=')) return a.slice('--lang='.length);
  }
  return undefined;
}

/** Formatting helpers the message functions receive, already bound to the output language. */
export interface Fmt {
  bytes(n: number): string;
  num(n: number): string;
  duration(seconds: number): string;
}

export interface Messages {
  usage: string;
  headings: { id: string; kind: string; name: string; size: string; license: string; repo: string; commit: string; path: string; endpoint: string; result: string; job: string; status: string; progress: string; updated: string };
  jobStatus: Readonly<Record<JobStatus, string>>;
  noJobs: string;
  jobCancelled(id: string): string;
  jobsForgotten(count: string): string;
  legend: string;
  noEntries: string;
  nothingInstalled(cacheDir: string): string;
  resolving(repo: string, revision: string, endpoint: string): string;
  resuming(done: string): string;
  progressOf: string;
  eta: string;
  perSecond: string;
  done(size: string, seconds: string): string;
  interrupted: string;
  interruptedResume: string;
  exporting(repo: string, file: string): string;
  exported(files: string, size: string, file: string): string;
  importing(repo: string, file: string): string;
  imported(repo: string, commit: string): string;
  alreadyInstalled(repo: string, commit: string): string;
  /** The import left an existing ref alone (no --update-refs). */
  refKept(revision: string, current: string, imported: string): string;
  refMoved(revision: string, commit: string): string;
  signedBy(keyId: string, trusted: boolean): string;
  notSigned: string;
  signedWith(keyId: string): string;
  keyReadableByOthers(file: string): string;
  keygenDone(keyFile: string, publicKeyFile: string, keyId: string): string;
  /** What --require-signature needs. */
  needsTrust: string;
  removed(what: string, size: string): string;
  probeOk(ms: string): string;
  noEndpointOk: string;
  warning: string;
  waitingForOtherProcess(file: string, pid: string): string;
  error: string;
  usageError: string;
  /** Reasons for exit code 2. */
  unknownCommand(cmd: string): string;
  missingArgument(what: string): string;
  tooManyArguments(extra: string): string;
  optionNotForCommand(option: string, cmd: string): string;
  badOptionValue(option: string, value: string, expected: string): string;
  badOption(detail: string): string;
}

const en: Messages = {
  usage: `persian-hub: download Persian models, datasets and voices from the Hugging Face Hub

Usage:
  persian-hub list [--kind KIND] [QUERY...]     catalog entries (Persian or English search)
  persian-hub pull <ID|ORG/NAME> [options]      download; run it again to resume
      --include PATTERN    only files matching PATTERN (repeatable)
      --exclude PATTERN    skip files matching PATTERN (repeatable)
      --revision REV       branch, tag or commit (default: main, or the catalog's)
      --repo-type TYPE     model or dataset (default: model, or the catalog's)
      --local-dir DIR      real files in DIR instead of the shared cache
  persian-hub installed                         installed snapshots
  persian-hub export <ID|ORG/NAME> <FILE.tar>   write an installed model to one file (offline bundle)
      --sign KEYFILE       sign the bundle with a private key from keygen
  persian-hub import <FILE.tar>                 install from an offline bundle
      --trust KEY|FILE     a public key whose signatures you trust (repeatable)
      --require-signature  refuse bundles not signed by a --trust key
      --update-refs        let the bundle move an existing ref (main…) to its commit
  persian-hub rm <ID|ORG/NAME>                  delete an installed model
  persian-hub probe                             test each endpoint: latency or error
  persian-hub keygen <KEYFILE>                  new signing key: KEYFILE (private, 0600) and KEYFILE.pub
  persian-hub jobs                              downloads and imports this cache remembers
  persian-hub cancel <JOB_ID>                   cancel a job (its partial files are deleted)
  persian-hub forget <JOB_ID> | --finished      drop a finished job's record (files stay)

Global options:
  --endpoint URL       Hub or mirror; repeat it for fallbacks (default: $HF_ENDPOINT or https://huggingface.co)
  --cache-dir DIR      Hugging Face cache (default: $HF_HUB_CACHE, else $HF_HOME/hub)
  --token TOKEN        access token for gated/private repos (default: $HF_TOKEN)
  --retries N          retries after a network error (default: 5)
  --lang fa|en         output language (default: from LANG / LC_ALL)
  -h, --help           show this help
  -v, --version        show the version

KIND: tts, asr, llm, model, embedding, dataset
Exit codes: 0 done, 1 failed, 2 bad usage, 130/143 interrupted (run again to resume).`,
  headings: { id: 'ID', kind: 'KIND', name: 'NAME', size: 'SIZE', license: 'LICENSE', repo: 'REPO', commit: 'COMMIT', path: 'PATH', endpoint: 'ENDPOINT', result: 'RESULT', job: 'JOB', status: 'STATUS', progress: 'PROGRESS', updated: 'UPDATED' },
  jobStatus: { queued: 'queued', resolving: 'resolving', downloading: 'downloading', verifying: 'verifying', completed: 'completed', failed: 'failed', cancelled: 'cancelled', paused: 'paused' },
  noJobs: 'No jobs.',
  jobCancelled: (id) => `Cancelled ${id}.`,
  jobsForgotten: (count) => `Forgot ${count} job(s); files on disk are unchanged.`,
  legend: 'Marks: ✓ installed   ~ partly downloaded (pull resumes)   N not cleared for commercial use   G gated (accept terms, set HF_TOKEN)',
  noEntries: 'No catalog entry matches.',
  nothingInstalled: (dir) => `Nothing installed in ${dir}`,
  resolving: (repo, rev, endpoint) => `${repo} @ ${rev}  (${endpoint})`,
  resuming: (done) => `Resuming: ${done} already on disk.`,
  progressOf: '/',
  eta: 'ETA',
  perSecond: '/s',
  done: (size, seconds) => `Done: ${size} in ${seconds}.`,
  interrupted: 'Interrupted.',
  interruptedResume: 'Paused. Run the same command again to resume from where it stopped.',
  exporting: (repo, file) => `Exporting ${repo} to ${file}`,
  exported: (files, size, file) => `Exported ${files} files (${size}) to ${file}`,
  importing: (repo, file) => `Importing ${repo} from ${file}`,
  imported: (repo, commit) => `Imported ${repo} @ ${commit}.`,
  alreadyInstalled: (repo, commit) => `Already installed: ${repo} @ ${commit}; nothing was copied.`,
  refKept: (rev, current, imported) => `${rev} still names ${current}: the imported ${imported} is installed beside it, reachable by its commit. Add --update-refs to make it ${rev}.`,
  refMoved: (rev, commit) => `${rev} now names ${commit}.`,
  signedBy: (keyId, trusted) => (trusted ? `Signed by trusted key ${keyId}.` : `Signed by key ${keyId}, which you have not marked as trusted (--trust).`),
  notSigned: 'The bundle is not signed.',
  signedWith: (keyId) => `Signed with key ${keyId}.`,
  keyReadableByOthers: (file) => `${file} can be read by other users: a signing key should be private (chmod 600).`,
  keygenDone: (keyFile, pub, keyId) => `Key ${keyId}: private key in ${keyFile} (keep it secret), public key in ${pub} (hand it out; recipients pass it to import --trust).`,
  needsTrust: 'at least one --trust KEY|FILE',
  removed: (what, size) => `Removed ${what} (${size})`,
  probeOk: (ms) => `ok, ${ms} ms`,
  noEndpointOk: 'No endpoint answered.',
  warning: 'warning',
  waitingForOtherProcess: (file, pid) => `${file} is being downloaded into the same cache by another process (${pid}); waiting for it.`,
  error: 'error',
  usageError: 'usage error',
  unknownCommand: (cmd) => `unknown command "${cmd}"`,
  missingArgument: (what) => `missing ${what}`,
  tooManyArguments: (extra) => `unexpected argument ${extra}`,
  optionNotForCommand: (option, cmd) => `option ${option} does not apply to "${cmd}"`,
  badOptionValue: (option, value, expected) => `${option} "${value}": expected ${expected}`,
  badOption: (detail) => detail,
};

const fa: Messages = {
  usage: `persian-hub: دانلود مدل‌ها، دیتاست‌ها و صداهای فارسی از Hugging Face Hub

طرز استفاده:
  persian-hub list [--kind KIND] [QUERY...]     فهرست مدل‌ها (جست‌وجو به فارسی یا انگلیسی)
  persian-hub pull <ID|ORG/NAME> [options]      دانلود؛ برای ادامه‌ی دانلود نیمه‌کاره دوباره اجرا کنید
      --include PATTERN    فقط فایل‌های منطبق با الگو (تکرارپذیر)
      --exclude PATTERN    رد کردن فایل‌های منطبق با الگو (تکرارپذیر)
      --revision REV       شاخه، برچسب یا کامیت (پیش‌فرض: main یا نسخه‌ی فهرست)
      --repo-type TYPE     model یا dataset (پیش‌فرض: model یا نوع فهرست)
      --local-dir DIR      فایل‌های واقعی در DIR به‌جای کش مشترک
  persian-hub installed                         مدل‌های نصب‌شده
  persian-hub export <ID|ORG/NAME> <FILE.tar>   نوشتن یک مدل نصب‌شده در یک فایل (بسته‌ی آفلاین)
      --sign KEYFILE       امضای بسته با کلید خصوصی ساخته‌شده با keygen
  persian-hub import <FILE.tar>                 نصب از بسته‌ی آفلاین
      --trust KEY|FILE     کلید عمومی‌ای که به امضایش اعتماد دارید (تکرارپذیر)
      --require-signature  رد بسته‌هایی که با کلیدی از --trust امضا نشده‌اند
      --update-refs        اجازه به بسته برای جابه‌جا کردن ref موجود (main…) به کامیت خودش
  persian-hub rm <ID|ORG/NAME>                  حذف یک مدل نصب‌شده
  persian-hub probe                             آزمودن نشانی‌ها: تأخیر یا نوع خطا
  persian-hub keygen <KEYFILE>                  کلید امضای تازه: KEYFILE (خصوصی، 0600) و KEYFILE.pub
  persian-hub jobs                              دانلودها و نصب‌هایی که این کش به یاد دارد
  persian-hub cancel <JOB_ID>                   لغو یک کار (فایل‌های نیمه‌کاره‌اش پاک می‌شوند)
  persian-hub forget <JOB_ID> | --finished      پاک کردن سابقه‌ی کارهای تمام‌شده (فایل‌ها می‌مانند)

گزینه‌های عمومی:
  --endpoint URL       نشانی Hub یا آینه؛ برای جایگزین‌ها تکرار کنید (پیش‌فرض: $HF_ENDPOINT یا https://huggingface.co)
  --cache-dir DIR      کش Hugging Face (پیش‌فرض: $HF_HUB_CACHE یا $HF_HOME/hub)
  --token TOKEN        توکن دسترسی برای مخزن‌های محدود یا خصوصی (پیش‌فرض: $HF_TOKEN)
  --retries N          تعداد تلاش دوباره پس از خطای شبکه (پیش‌فرض: ۵)
  --lang fa|en         زبان خروجی (پیش‌فرض: از LANG یا LC_ALL)
  -h, --help           همین راهنما
  -v, --version        نسخه

KIND: tts, asr, llm, model, embedding, dataset
کد خروج: ۰ انجام شد، ۱ ناموفق، ۲ استفاده‌ی نادرست، ۱۳۰ یا ۱۴۳ قطع شد (برای ادامه دوباره اجرا کنید).`,
  headings: { id: 'شناسه', kind: 'نوع', name: 'نام', size: 'حجم', license: 'مجوز', repo: 'مخزن', commit: 'کامیت', path: 'مسیر', endpoint: 'نشانی', result: 'نتیجه', job: 'کار', status: 'وضعیت', progress: 'پیشرفت', updated: 'به‌روز شده' },
  jobStatus: { queued: 'در صف', resolving: 'آماده‌سازی', downloading: 'در حال دانلود', verifying: 'بررسی', completed: 'تمام شد', failed: 'ناموفق', cancelled: 'لغو شد', paused: 'متوقف' },
  noJobs: 'کاری ثبت نشده است.',
  jobCancelled: (id) => `${LRM}${id}${LRM} لغو شد.`,
  jobsForgotten: (count) => `سابقه‌ی ${count} کار پاک شد؛ فایل‌های روی دیسک دست نخوردند.`,
  legend: 'نشانه‌ها: ✓ نصب‌شده   ~ نیمه‌کاره (pull ادامه می‌دهد)   N استفاده‌ی تجاری روشن نیست   G دسترسی محدود (شرایط را بپذیرید و HF_TOKEN بدهید)',
  noEntries: 'موردی در فهرست پیدا نشد.',
  nothingInstalled: (dir) => `چیزی در ${LRM}${dir}${LRM} نصب نیست.`,
  resolving: (repo, rev, endpoint) => `${LRM}${repo} @ ${rev}  (${endpoint})`,
  resuming: (done) => `ادامه‌ی دانلود: ${done} از قبل روی دیسک است.`,
  progressOf: 'از',
  eta: 'مانده',
  perSecond: '/ثانیه',
  done: (size, seconds) => `تمام شد: ${size} در ${seconds}.`,
  interrupted: 'قطع شد.',
  interruptedResume: 'متوقف شد. همین فرمان را دوباره اجرا کنید تا دانلود از همان‌جا ادامه پیدا کند.',
  exporting: (repo, file) => `نوشتن ${LRM}${repo}${LRM} در ${LRM}${file}`,
  exported: (files, size, file) => `${files} فایل (${size}) در ${LRM}${file}${LRM} نوشته شد.`,
  importing: (repo, file) => `نصب ${LRM}${repo}${LRM} از ${LRM}${file}`,
  imported: (repo, commit) => `${LRM}${repo} @ ${commit}${LRM} نصب شد.`,
  alreadyInstalled: (repo, commit) => `از قبل نصب شده است: ${LRM}${repo} @ ${commit}${LRM}؛ چیزی کپی نشد.`,
  refKept: (rev, current, imported) =>
    `${LRM}${rev}${LRM} هنوز به ${LRM}${current}${LRM} اشاره می‌کند: ${LRM}${imported}${LRM} کنار آن نصب شد و با کامیتش در دسترس است. برای این‌که ${LRM}${rev}${LRM} شود، ${LRM}--update-refs${LRM} را اضافه کنید.`,
  refMoved: (rev, commit) => `${LRM}${rev}${LRM} اکنون به ${LRM}${commit}${LRM} اشاره می‌کند.`,
  signedBy: (keyId, trusted) =>
    trusted ? `با کلید مورد اعتماد ${LRM}${keyId}${LRM} امضا شده است.` : `با کلید ${LRM}${keyId}${LRM} امضا شده که آن را مورد اعتماد اعلام نکرده‌اید (${LRM}--trust${LRM}).`,
  notSigned: 'بسته امضا ندارد.',
  signedWith: (keyId) => `با کلید ${LRM}${keyId}${LRM} امضا شد.`,
  keyReadableByOthers: (file) => `کاربران دیگر می‌توانند ${LRM}${file}${LRM} را بخوانند: کلید امضا باید خصوصی باشد (${LRM}chmod 600${LRM}).`,
  keygenDone: (keyFile, pub, keyId) =>
    `کلید ${LRM}${keyId}${LRM}: کلید خصوصی در ${LRM}${keyFile}${LRM} (آن را محرمانه نگه دارید)، کلید عمومی در ${LRM}${pub}${LRM} (آن را پخش کنید؛ گیرنده‌ها آن را به ${LRM}import --trust${LRM} می‌دهند).`,
  needsTrust: `دست‌کم یک ${LRM}--trust KEY|FILE${LRM}`,
  removed: (what, size) => `حذف شد: ${LRM}${what}${LRM} (${size})`,
  probeOk: (ms) => `در دسترس، ${ms} میلی‌ثانیه`,
  noEndpointOk: 'هیچ نشانی‌ای پاسخ نداد.',
  warning: 'هشدار',
  waitingForOtherProcess: (file, pid) => `برنامه‌ی دیگری (${pid}) در حال دریافت ${LRM}${file}${LRM} در همین پوشه است؛ منتظر می‌مانیم تا تمام شود.`,
  error: 'خطا',
  usageError: 'استفاده‌ی نادرست',
  unknownCommand: (cmd) => `فرمان ناشناخته «${cmd}»`,
  missingArgument: (what) => `${what} را وارد نکرده‌اید`,
  tooManyArguments: (extra) => `آرگومان اضافه ${LRM}${extra}`,
  optionNotForCommand: (option, cmd) => `گزینه‌ی ${LRM}${option}${LRM} برای «${cmd}» نیست`,
  badOptionValue: (option, value, expected) => `مقدار «${value}» برای ${LRM}${option}${LRM} نادرست است؛ باید ${expected} باشد`,
  badOption: (detail) => detail,
};

export const MESSAGES: Readonly<Record<Lang, Messages>> = { en, fa };

type Hint = (details: PersianHubErrorDetails, fmt: Fmt) => string;

const size = (n: unknown, fmt: Fmt, unknown: string): string => (typeof n === 'number' && Number.isFinite(n) ? fmt.bytes(n) : unknown);

/** One line per error code: what happened and what to do, for people who did not write the code. */
export const ERROR_HINTS: Readonly<Record<Lang, Readonly<Record<PersianHubErrorCode, Hint>>>> = {
  en: {
    REPO_NOT_FOUND: () => 'Repository not found. Check the id (org/name) and --repo-type; a private repo also needs HF_TOKEN.',
    REVISION_NOT_FOUND: () => 'That revision (branch, tag or commit) does not exist in the repository.',
    ENTRY_NOT_FOUND: (d) => `A file is missing from the repository at this revision${d.file ? `: ${d.file}` : ''}.`,
    GATED_REPO: () => 'This repository is gated: open its page on the Hub, accept the terms, then set HF_TOKEN (or --token) and run again.',
    UNAUTHORIZED: () => 'The Hub refused the token. Check HF_TOKEN or --token.',
    RATE_LIMITED: (d, f) =>
      `The Hub is limiting requests. Wait${typeof d.retryAfter === 'number' ? ` ${f.duration(d.retryAfter)}` : ' a little'} and run again; a token (HF_TOKEN) raises the limit.`,
    NETWORK: () => 'Network error. Run the same command again: the download resumes from where it stopped.',
    BLOCKED: () =>
      'The Hub looks blocked from this network. Try a mirror (HF_ENDPOINT=https://... or --endpoint URL), a proxy (HTTPS_PROXY), or an offline bundle (persian-hub import FILE.tar).',
    STALLED: () => 'The transfer stalled (no data for too long). Run the same command again: it resumes from where it stopped.',
    CHECKSUM_MISMATCH: () => 'A file did not match its checksum and was discarded. Run again; if it repeats, a proxy or mirror may be altering files.',
    DISK_FULL: (d, f) =>
      `Not enough disk space: needs ${size(d.requiredBytes, f, 'more')}, ${size(d.availableBytes, f, 'less')} free. Free some space or use --cache-dir on another disk.`,
    UNSAFE_PATH: () => 'The repository has an unsafe file path; nothing was written outside the target folder.',
    CANCELLED: () => 'Cancelled.',
    INVALID_INPUT: () => 'Invalid input.',
    NOT_FOUND: (d) =>
      d.bundle === true
        ? 'The bundle file was not found; check its path.'
        : 'Not found. Use a catalog id (see persian-hub list), an installed one (persian-hub installed), or org/name.',
    CONFLICT: (d) =>
      typeof d.file === 'string' && typeof d.commit === 'string'
        ? `"${d.file}" is not the installed one of the same commit; nothing was changed. One of the two is not what the repo holds at that commit: check where the bundle or mirror came from (a signed bundle says who made it).`
        : 'Conflict: something else is using this model (a download may still be running).',
    CLI_NOT_FOUND: () => 'The official hf command was not found.',
    CLI_FAILED: () => 'The official hf command failed.',
    HUB_ERROR: () => 'The Hub answered with an error. Try again later, or try a mirror (--endpoint).',
    BUNDLE_INVALID: (d) =>
      typeof d.kind === 'string'
        ? 'Give the path of the bundle file (.tar) itself; nothing was installed.'
        : 'The bundle file is damaged or not a Persian Hub bundle; nothing was installed. Copy it again.',

    BUNDLE_UNTRUSTED: (d) =>
      d.reason === 'UNKNOWN_KEY'
        ? `The bundle is signed by key ${String(d.keyId)}, which is not among the keys you trust; nothing was installed. Add its maker's public key with --trust only if you trust them.`
        : 'The bundle is not signed, and only bundles signed by a trusted key are accepted; nothing was installed. Ask its maker for a signed one (persian-hub export --sign KEY).',
    INTERRUPTED: () => 'This was interrupted before it finished (the program stopped); nothing of it was installed. Run it again.',
    JOB_STORE_UNAVAILABLE: () => 'The shared job store (Redis) cannot be reached; nothing was changed. Try again when it is back.',
    RUNNER_GONE: () => 'The instance running this download did not answer in time; the request is kept and applies when another instance takes the download.',
    INTERNAL: () => 'Unexpected error (a bug). Please report it with the message below.',
  },
  fa: {
    REPO_NOT_FOUND: () => `مخزن پیدا نشد. شناسه (org/name) و ${LRM}--repo-type${LRM} را بررسی کنید؛ مخزن خصوصی به HF_TOKEN هم نیاز دارد.`,
    REVISION_NOT_FOUND: () => 'این نسخه (شاخه، برچسب یا کامیت) در مخزن وجود ندارد.',
    ENTRY_NOT_FOUND: (d) => `فایلی در این نسخه‌ی مخزن پیدا نشد${d.file ? `: ${LRM}${d.file}${LRM}` : ''}.`,
    GATED_REPO: () =>
      `دسترسی به این مخزن محدود است: صفحه‌ی آن را در Hugging Face باز کنید، شرایط را بپذیرید، سپس HF_TOKEN (یا ${LRM}--token${LRM}) را تنظیم کنید و دوباره اجرا کنید.`,
    UNAUTHORIZED: () => `Hub توکن را نپذیرفت. HF_TOKEN یا ${LRM}--token${LRM} را بررسی کنید.`,
    RATE_LIMITED: (d, f) =>
      `Hub تعداد درخواست‌ها را محدود کرده است. ${typeof d.retryAfter === 'number' ? f.duration(d.retryAfter) : 'کمی'} صبر کنید و دوباره اجرا کنید؛ با توکن (HF_TOKEN) سقف بالاتر است.`,
    NETWORK: () => 'خطای شبکه. همین فرمان را دوباره اجرا کنید تا دانلود از همان‌جا ادامه پیدا کند.',
    BLOCKED: () =>
      `به نظر می‌رسد دسترسی به Hub از این شبکه مسدود است. یک آینه (mirror) امتحان کنید (HF_ENDPOINT یا ${LRM}--endpoint URL${LRM})، یا پراکسی (HTTPS_PROXY)، یا بسته‌ی آفلاین (${LRM}persian-hub import FILE.tar${LRM}).`,
    STALLED: () => 'انتقال متوقف ماند (مدتی هیچ داده‌ای نرسید). همین فرمان را دوباره اجرا کنید تا از همان‌جا ادامه پیدا کند.',
    CHECKSUM_MISMATCH: () => 'یک فایل با چک‌سامش نخواند و کنار گذاشته شد. دوباره اجرا کنید؛ اگر تکرار شد، شاید پراکسی یا آینه فایل‌ها را تغییر می‌دهد.',
    DISK_FULL: (d, f) =>
      `فضای دیسک کافی نیست: ${size(d.requiredBytes, f, 'بیشتر')} لازم است و ${size(d.availableBytes, f, 'کمتر')} آزاد است. فضا آزاد کنید یا با ${LRM}--cache-dir${LRM} دیسک دیگری انتخاب کنید.`,
    UNSAFE_PATH: () => 'مخزن مسیر فایل ناامنی دارد؛ چیزی بیرون از پوشه‌ی مقصد نوشته نشد.',
    CANCELLED: () => 'لغو شد.',
    INVALID_INPUT: () => 'ورودی نامعتبر است.',
    NOT_FOUND: (d) =>
      d.bundle === true
        ? 'فایل بسته پیدا نشد؛ مسیر آن را بررسی کنید.'
        : `پیدا نشد. شناسه‌ای از فهرست (${LRM}persian-hub list${LRM})، از مدل‌های نصب‌شده (${LRM}persian-hub installed${LRM}) یا org/name بدهید.`,
    CONFLICT: (d) =>
      typeof d.file === 'string' && typeof d.commit === 'string'
        ? `فایل ${LRM}${d.file}${LRM} با نسخه‌ی نصب‌شده‌ی همان کامیت یکی نیست؛ چیزی تغییر نکرد. یکی از این دو همان چیزی نیست که مخزن در آن کامیت دارد: منبع بسته یا آینه را بررسی کنید (بسته‌ی امضاشده سازنده‌اش را نشان می‌دهد).`
        : 'تداخل: کار دیگری از این مدل استفاده می‌کند (شاید دانلودی هنوز در حال اجراست).',
    CLI_NOT_FOUND: () => 'فرمان رسمی hf پیدا نشد.',
    CLI_FAILED: () => 'فرمان رسمی hf با خطا تمام شد.',
    HUB_ERROR: () => `Hub با خطا پاسخ داد. کمی بعد دوباره امتحان کنید یا از یک آینه (${LRM}--endpoint${LRM}) استفاده کنید.`,
    BUNDLE_INVALID: (d) =>
      typeof d.kind === 'string'
        ? `مسیر خودِ فایل بسته (${LRM}.tar${LRM}) را بدهید؛ چیزی نصب نشد.`
        : 'فایل بسته خراب است یا بسته‌ی Persian Hub نیست؛ چیزی نصب نشد. آن را دوباره کپی کنید.',

    BUNDLE_UNTRUSTED: (d) =>
      d.reason === 'UNKNOWN_KEY'
        ? `بسته با کلید ${LRM}${String(d.keyId)}${LRM} امضا شده که جزو کلیدهای مورد اعتماد شما نیست؛ چیزی نصب نشد. کلید عمومی سازنده را فقط اگر به او اعتماد دارید با ${LRM}--trust${LRM} اضافه کنید.`
        : `بسته امضا ندارد و فقط بسته‌های امضاشده با کلید مورد اعتماد پذیرفته می‌شوند؛ چیزی نصب نشد. از سازنده‌اش نسخه‌ی امضاشده بخواهید (${LRM}persian-hub export --sign KEY${LRM}).`,
    INTERRUPTED: () => 'این کار پیش از پایان قطع شد (برنامه بسته شد)؛ چیزی از آن نصب نشد. دوباره اجرا کنید.',
    JOB_STORE_UNAVAILABLE: () => 'انبار مشترک کارها (Redis) در دسترس نیست؛ چیزی تغییر نکرد. وقتی برگشت دوباره امتحان کنید.',
    RUNNER_GONE: () => 'نمونه‌ای که این دانلود را اجرا می‌کند به‌موقع پاسخ نداد؛ درخواست نگه داشته شده و وقتی نمونهٔ دیگری دانلود را به دست بگیرد اجرا می‌شود.',
    INTERNAL: () => 'خطای غیرمنتظره (اشکال برنامه). لطفاً آن را همراه پیام زیر گزارش کنید.',
  },
};
