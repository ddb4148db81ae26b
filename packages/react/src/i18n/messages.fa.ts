import type { Messages } from './Messages.js';

const orNone = (value: string | null, fallback: string): string => value ?? fallback;

export const messagesFa: Messages = {
  locale: 'fa',
  dir: 'rtl',
  units: {
    bytes: ['بایت', 'کیلوبایت', 'مگابایت', 'گیگابایت', 'ترابایت'],
    perSecond: (amount) => `${amount} بر ثانیه`,
    hours: (n) => `${n} ساعت`,
    minutes: (n) => `${n} دقیقه`,
    seconds: (n) => `${n} ثانیه`,
    durationJoin: (a, b) => `${a} و ${b}`,
    unknown: 'نامشخص',
  },
  progress: {
    label: 'پیشرفت دانلود',
    range: (done, total) => `${done} از ${total}`,
    rangeSameUnit: (done, total) => `${done} از ${total}`,
    unknownTotal: (done) => `${done} دریافت شد، حجم کل نامشخص`,
    valueText: (percent, range) => `${percent}، ${range}`,
    withState: (state, text) => `${state}: ${text}`,
    eta: (duration) => `${duration} مانده`,
    currentFile: 'فایل فعلی',
    waitingNote: 'برنامه‌ی دیگری روی سرور همین فایل را دریافت می‌کند؛ پس از پایان آن، همان فایل استفاده می‌شود و دوباره دانلود نمی‌شود.',
    states: {
      queued: 'در صف',
      downloading: 'در حال دانلود',
      verifying: 'در حال بررسی',
      paused: 'متوقف شده',
      stalled: 'بدون پیشرفت',
      waiting: 'در انتظار برنامه‌ای دیگر',
      error: 'خطا',
      done: 'کامل شد',
    },
  },
  kinds: {
    all: 'همه',
    tts: 'تبدیل متن به گفتار',
    asr: 'تشخیص گفتار',
    llm: 'مدل زبانی',
    model: 'مدل',
    embedding: 'بردارساز',
    dataset: 'دیتاست',
  },
  card: {
    installed: 'نصب شده',
    provider: (name) => `از ${name}`,
    size: 'حجم',
    license: 'مجوز',
    nonCommercial: 'غیرتجاری',
    nonCommercialHint: 'استفادهٔ تجاری مجاز نیست',
    gated: 'نیاز به توکن/پذیرش شرایط',
    gatedHint: 'برای دانلود باید شرایط را در صفحهٔ مخزن بپذیرید و HF_TOKEN را تنظیم کنید',
    tags: 'برچسب‌ها',
    cancelled: 'دانلود لغو شد',
    errorCode: (code) => `کد خطا: ${code}`,
    technicalDetails: 'جزئیات فنی',
    openRepoPage: 'رفتن به صفحهٔ مخزن',
  },
  actions: {
    download: 'دانلود',
    retry: 'تلاش دوباره',
    downloadAgain: 'دانلود دوباره',
    pause: 'توقف',
    resume: 'ادامه',
    cancel: 'لغو',
    remove: 'حذف',
    openFolder: 'باز کردن پوشه',
    viewOnHub: 'مشاهده در Hugging Face',
    opensInNewTab: '(در زبانهٔ جدید باز می‌شود)',
  },
  hub: {
    title: 'هاب فارسی',
    subtitle: 'مدل‌ها، صداها و دیتاست‌های فارسی از Hugging Face',
    searchLabel: 'جستجو',
    searchPlaceholder: 'جستجو به فارسی یا انگلیسی…',
    kindLabel: 'نوع',
    count: (n) => `${n} مورد`,
    loading: 'در حال بارگذاری…',
    emptyTitle: 'موردی پیدا نشد',
    emptyDescription: 'فهرست خالی است.',
    emptyQuery: (query) => `برای «${query}» نتیجه‌ای نبود. عبارت دیگری را امتحان کنید یا فیلتر نوع را بردارید.`,
    clearSearch: 'پاک کردن جستجو',
    errorTitle: 'فهرست بارگذاری نشد',
    retry: 'تلاش دوباره',
    resultsLabel: 'نتایج',
    importBundle: 'نصب از بستهٔ آفلاین…',
    importBundleHint: 'فایل ‎.tar‎ که با «خروجی گرفتن» ساخته شده (مثلاً از فلش‌مموری) را انتخاب کنید؛ همه‌ی فایل‌ها پیش از نصب بررسی می‌شوند.',
    importBundleErrorTitle: 'بسته نصب نشد',
  },
  toasts: {
    started: (name) => `دانلود «${name}» شروع شد`,
    completed: (name) => `دانلود «${name}» کامل شد`,
    failed: (name) => `دانلود «${name}» ناموفق بود`,
    importStarted: (name) => `نصب «${name}» از بستهٔ آفلاین شروع شد`,
    imported: (name) => `«${name}» از بستهٔ آفلاین نصب شد`,
    importFailed: (name) => `نصب «${name}» از بستهٔ آفلاین ناموفق بود`,
    close: 'بستن',
    region: 'اعلان‌ها',
  },
  downloads: {
    title: 'دانلودها',
    empty: 'دانلودی در جریان نیست.',
    file: 'فایل',
    size: 'حجم',
    progress: 'پیشرفت',
    status: 'وضعیت',
    fileStatus: {
      pending: 'در انتظار',
      downloading: 'در حال دانلود',
      verifying: 'در حال بررسی',
      completed: 'کامل',
      cached: 'از قبل موجود',
      failed: 'ناموفق',
    },
    jobStatus: {
      queued: 'در صف',
      resolving: 'در حال آماده‌سازی',
      downloading: 'در حال دانلود',
      verifying: 'در حال بررسی',
      completed: 'کامل شد',
      failed: 'ناموفق',
      cancelled: 'لغو شد',
      paused: 'متوقف شده',
    },
  },
  errors: {
    REPO_NOT_FOUND: {
      title: 'مخزن پیدا نشد',
      description: (c) =>
        `مخزن ${orNone(c.repoId, '')} روی هاب وجود ندارد یا خصوصی است. نام مخزن را بررسی کنید؛ اگر خصوصی است، HF_TOKEN را تنظیم کنید.`,
    },
    REVISION_NOT_FOUND: {
      title: 'نسخه پیدا نشد',
      description: (c) =>
        `شاخه، برچسب یا کامیت ${orNone(c.revision, 'خواسته‌شده')} در این مخزن وجود ندارد.`,
    },
    ENTRY_NOT_FOUND: {
      title: 'فایل پیدا نشد',
      description: (c) => `فایل ${orNone(c.file, 'خواسته‌شده')} در این نسخه از مخزن نیست.`,
    },
    GATED_REPO: {
      title: 'دسترسی محدود است',
      description: (c) =>
        `${c.repoId ? `مخزن ${c.repoId}` : 'این مخزن'} نیاز به پذیرش شرایط دارد. در صفحهٔ مخزن وارد حساب خود شوید و درخواست دسترسی بدهید، سپس یک توکن خواندنی بسازید و آن را در متغیر HF_TOKEN روی سرور قرار دهید.`,
    },
    UNAUTHORIZED: {
      title: 'توکن پذیرفته نشد',
      description: () => 'توکن Hugging Face نامعتبر یا منقضی است. مقدار HF_TOKEN را بررسی یا توکن تازه‌ای بسازید.',
    },
    RATE_LIMITED: {
      title: 'محدودیت تعداد درخواست',
      description: (c) =>
        `هاب تعداد درخواست‌ها را محدود کرده است. ${orNone(c.retryAfter, 'چند دقیقه')} صبر کنید و دوباره تلاش کنید. با HF_TOKEN سقف بالاتری دارید.`,
    },
    NETWORK: {
      title: 'خطای شبکه',
      description: () =>
        'اتصال به هاب برقرار نشد. اینترنت را بررسی کنید؛ اگر huggingface.co در دسترس نیست، از یک آینه (متغیر HF_ENDPOINT)، یک پروکسی (HTTPS_PROXY) یا بستهٔ آفلاین استفاده کنید.',
    },
    BLOCKED: {
      title: 'دسترسی به هاب مسدود است',
      description: () =>
        'به نظر می‌رسد دسترسی به هاب از این شبکه مسدود شده است. از یک آینه (متغیر HF_ENDPOINT)، یک پروکسی (HTTPS_PROXY) یا بستهٔ آفلاین استفاده کنید.',
    },
    STALLED: {
      title: 'دانلود پیش نمی‌رود',
      description: () =>
        'مدتی است داده‌ای نرسیده است. دوباره ادامه دهید؛ اگر تکرار شد، از یک آینه (HF_ENDPOINT)، یک پروکسی یا بستهٔ آفلاین استفاده کنید.',
    },
    CHECKSUM_MISMATCH: {
      title: 'فایل سالم نیست',
      description: (c) =>
        `هش فایل ${orNone(c.file, 'دانلودشده')} با مقدار ثبت‌شده در هاب یکی نیست. دوباره دانلود کنید؛ اگر تکرار شد، ممکن است آینه یا پروکسی فایل را تغییر دهد.`,
    },
    DISK_FULL: {
      title: 'فضای دیسک کافی نیست',
      description: (c) =>
        c.requiredBytes
          ? `برای این دانلود ${c.requiredBytes} فضا لازم است${c.availableBytes ? ` ولی فقط ${c.availableBytes} آزاد است` : ''}. فضا آزاد کنید یا پوشهٔ کش (HF_HOME) را به دیسک دیگری ببرید.`
          : 'دیسک پر است. فضا آزاد کنید یا پوشهٔ کش (HF_HOME) را به دیسک دیگری ببرید.',
    },
    UNSAFE_PATH: {
      title: 'مسیر فایل ناامن است',
      description: (c) =>
        `مسیر ${orNone(c.file, 'یک فایل')} به بیرون از پوشهٔ مقصد اشاره می‌کند؛ برای امنیت دانلود نشد.`,
    },
    CANCELLED: {
      title: 'لغو شد',
      description: () => 'دانلود لغو شد. هر وقت خواستید دوباره شروع کنید.',
    },
    INVALID_INPUT: {
      title: 'درخواست نامعتبر',
      description: () => 'ورودی درخواست درست نیست. جزئیات فنی را ببینید.',
    },
    NOT_FOUND: {
      title: 'پیدا نشد',
      description: () => 'این مورد دیگر وجود ندارد. فهرست را تازه کنید.',
    },
    CONFLICT: {
      title: 'این کار الان ممکن نیست',
      description: (c) =>
        c.file
          ? `فایل ${c.file} با نسخهٔ نصب‌شدهٔ همان کامیت یکی نیست، پس چیزی تغییر نکرد: مدل نصب‌شده هرگز بازنویسی نمی‌شود. منبع بستهٔ آفلاین یا آینه را بررسی کنید.`
          : 'این کار با وضعیت فعلی سازگار نیست؛ مثلاً دانلودی در حال استفاده از همین مدل است.',
    },
    CLI_NOT_FOUND: {
      title: 'ابزار hf پیدا نشد',
      description: () =>
        'برنامهٔ hf (از huggingface_hub) روی سرور نصب نیست. آن را نصب کنید یا از دانلودکنندهٔ داخلی استفاده کنید.',
    },
    CLI_FAILED: {
      title: 'ابزار hf با خطا تمام شد',
      description: () => 'ابزار hf کار را تمام نکرد. جزئیات فنی را ببینید و دوباره تلاش کنید.',
    },
    HUB_ERROR: {
      title: 'خطای هاب',
      description: (c) =>
        `هاب پاسخ غیرمنتظره‌ای داد${c.status ? ` (کد ${c.status})` : ''}. کمی بعد دوباره تلاش کنید.`,
    },
    BUNDLE_INVALID: {
      title: 'بستهٔ آفلاین نامعتبر است',
      description: (c) =>
        c.file
          ? `فایل ${c.file} در بستهٔ آفلاین خراب است یا با فهرست بسته نمی‌خواند؛ چیزی نصب نشد. بسته را دوباره بسازید یا دوباره کپی کنید.`
          : 'بستهٔ آفلاین ناقص یا خراب است؛ چیزی نصب نشد. آن را دوباره بسازید یا دریافت کنید.',
    },
    BUNDLE_UNTRUSTED: {
      title: 'بستهٔ آفلاین امضای معتبر ندارد',
      description: () =>
        'این سرور فقط بسته‌هایی را می‌پذیرد که با کلیدی مورد اعتماد امضا شده باشند، و این بسته امضا ندارد یا امضاکننده‌اش ناشناس است؛ چیزی نصب نشد. بستهٔ امضاشده را از سازندهٔ مورد اعتماد بگیرید.',
    },
    INTERRUPTED: {
      title: 'نیمه‌کاره ماند',
      description: () => 'این کار پیش از پایان قطع شد، چون سرور دوباره راه‌اندازی شد؛ چیزی از آن نصب نشد. دوباره شروع کنید.',
    },
    INTERNAL: {
      title: 'خطای داخلی',
      description: () => 'خطای پیش‌بینی‌نشده‌ای رخ داد. دوباره تلاش کنید و اگر تکرار شد، گزارش دهید.',
    },
  },
  httpErrors: {
    FORBIDDEN: {
      title: 'اجازه داده نشد',
      description: () => 'این سرور اجازهٔ این کار را نمی‌دهد (برای نمونه، نصب از بستهٔ آفلاین روی آن فعال نیست). با مدیر سرور هماهنگ کنید.',
    },
    PAYLOAD_TOO_LARGE: {
      title: 'فایل بزرگ‌تر از حد مجاز است',
      description: () => 'سرور فایلی به این بزرگی را نمی‌پذیرد. بسته را مستقیم روی سرور کپی کنید یا از مدیر سرور بخواهید حد آن را بالا ببرد.',
    },
    UNSUPPORTED_MEDIA_TYPE: {
      title: 'نوع داده پذیرفته نشد',
      description: () => 'سرور این نوع داده را نمی‌پذیرد؛ برای نصب از بسته فقط فایل ‎.tar‎ ساخته‌شده با «خروجی گرفتن» پذیرفته می‌شود.',
    },
    NOT_IMPLEMENTED: {
      title: 'پشتیبانی نمی‌شود',
      description: () => 'این سرور این کار را پشتیبانی نمی‌کند.',
    },
    HOST_NOT_ALLOWED: {
      title: 'این نشانی پذیرفته نیست',
      description: () => 'سرور به نشانی‌ای که این صفحه با آن باز شده پاسخ نمی‌دهد. صفحه را با نشانی‌ای که مدیر سرور داده باز کنید، یا از او بخواهید این نشانی را به فهرست مجاز بیفزاید.',
    },
    CROSS_ORIGIN: {
      title: 'درخواست از سایت دیگر پذیرفته نشد',
      description: () => 'سرور تغییرات را فقط از صفحه‌های خودش می‌پذیرد. هاب مدل‌ها را از خود سرور باز کنید، یا از مدیر سرور بخواهید این صفحه را مجاز کند.',
    },
    SERVER_BUSY: {
      title: 'سرور مشغول است',
      description: (c) =>
        c.retryAfter ? `سرور به اندازهٔ سقف مجازش بسته در دست دارد. ${c.retryAfter} دیگر دوباره تلاش کنید.` : 'سرور به اندازهٔ سقف مجازش بسته در دست دارد. کمی بعد دوباره تلاش کنید.',
    },
    REQUEST_TIMEOUT: {
      title: 'ارسال متوقف شد',
      description: () => 'مدتی هیچ داده‌ای به سرور نرسید و سرور دیگر منتظر نماند. اتصال را بررسی کنید و فایل را دوباره بفرستید.',
    },
  },
  unknownError: {
    title: 'خطا',
    description: () => 'خطایی رخ داد. جزئیات فنی را ببینید و دوباره تلاش کنید.',
  },
};
