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
    expectedSize: (size) => `حدود ${size}`,
    retryIn: (duration, attempt, max) => `تلاش دوباره تا ${duration} دیگر (بار ${attempt} از ${max})`,
    retryNow: (attempt, max) => `در حال تلاش دوباره (بار ${attempt} از ${max})`,
    retryBecause: (reason) => `علت: ${reason}`,
    preparingNote: 'در حال گرفتن فهرست فایل‌ها از Hugging Face…',
    stalledNote: 'مدتی است داده‌ای نرسیده. می‌توانید صبر کنید، یا «توقف» و بعد «ادامه» را بزنید؛ آنچه رسیده نگه داشته می‌شود. اگر Hugging Face در این شبکه مسدود است، از بستهٔ آفلاین نصب کنید.',
    filesDone: (done, total) => `${done} از ${total} فایل`,
    states: {
      queued: 'در صف',
      preparing: 'در حال آماده‌سازی',
      retrying: 'در انتظار تلاش دوباره',
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
    commercial: {
      label: 'استفادهٔ تجاری',
      yes: 'استفادهٔ تجاری: مجاز',
      no: 'استفادهٔ تجاری: غیرمجاز',
      unclear: 'استفادهٔ تجاری: نامشخص',
      hintYes: 'مجوز اجازهٔ استفادهٔ تجاری می‌دهد.',
      hintNo: 'مجوز استفادهٔ تجاری را منع می‌کند.',
      hintUnclear: 'روشن نیست: شاید مجوز اجازه بدهد، اما شرایط دادهٔ آموزشی نامعلوم یا سخت‌گیرانه‌تر است. نکته‌ها و کارت مدل را بخوانید.',
    },
    licenseUnknown: 'اعلام نشده',
    gated: 'دسترسی با درخواست',
    gatedHint: 'سازندهٔ این مدل فقط پس از درخواست دسترسی در Hugging Face اجازهٔ دانلود می‌دهد.',
    serverHasToken: 'این سرور با حساب Hugging Face وارد می‌شود: وقتی آن حساب دسترسی بگیرد، دانلود انجام می‌شود.',
    serverNoToken: 'این سرور حساب Hugging Face ندارد، پس این مدل حتی با دسترسی هم این‌جا دانلود نمی‌شود. به مدیر سرور بگویید.',
    tags: 'برچسب‌ها',
    cancelled: 'دانلود لغو شد',
    errorCode: (code) => `کد خطا: ${code}`,
    technicalDetails: 'جزئیات فنی',
    forAdmin: 'برای مدیر سرور',
    openRepoPage: 'رفتن به صفحهٔ مخزن',
    facts: 'قالب و نیازها',
    format: (name) => name,
    runtime: (name) => `اجرا با ${name}`,
    memory: (size) => `حافظه ≈ ${size}`,
    memoryHint: 'برآورد: حدود ۱٫۲ برابر حجم دانلود، در RAM (یا حافظهٔ کارت گرافیک).',
    pickle: 'فایل pickle',
    pickleHint: 'فایل pickle هنگام بارگذاری می‌تواند کد اجرا کند: فقط اگر به منبع آن اعتماد دارید بازش کنید.',
    more: 'نکته‌ها، برچسب‌ها و فایل‌ها',
    notes: 'نکته‌ها',
    files: 'فایل‌هایی که دانلود می‌شوند',
    wholeRepo: 'همهٔ فایل‌های مخزن',
    excluded: 'به جز',
  },
  confirm: {
    cancelTitle: (name) => `دانلود «${name}» لغو شود؟`,
    cancelBody: (done) =>
      done
        ? `${done} که تا حالا دریافت شده پاک می‌شود. با «توقف» نگه داشته می‌شود و بعداً ادامه می‌دهید.`
        : 'هنوز چیزی دریافت نشده است؛ دانلود از صف برداشته می‌شود.',
    cancelConfirm: 'لغو و پاک کردن',
    cancelKeep: 'ادامهٔ دانلود',
    removeTitle: (name) => `«${name}» حذف شود؟`,
    removeBody: (size) => `${size} از دیسک سرور پاک می‌شود. برای استفادهٔ دوباره باید دوباره دانلودش کنید.`,
    removeConfirm: 'حذف',
    removeKeep: 'نگه داشتن',
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
    importBundle: 'نصب از بستهٔ آفلاین',
    requestAccess: 'درخواست دسترسی در Hugging Face',
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
    connection: {
      reconnecting: 'اتصال به سرور قطع شد؛ در حال وصل شدن دوباره. ممکن است آنچه می‌بینید به‌روز نباشد.',
      polling: 'به‌روزرسانی زنده نمی‌رسد؛ به جای آن هر چند ثانیه یک بار بررسی می‌شود.',
      staleList: 'فهرست تازه نشد؛ ممکن است آنچه می‌بینید به‌روز نباشد.',
      retryIn: (duration) => `تلاش دوباره تا ${duration} دیگر.`,
      retrying: 'در حال تلاش دوباره…',
      retryNow: 'همین حالا',
    },
    listErrors: {
      network: {
        title: 'سرور در دسترس نیست',
        description: () => 'این صفحه به سرور خودش نمی‌رسد: شاید سرور خاموش است یا اتصال شما قطع شده. خودکار دوباره تلاش می‌کنیم.',
      },
      intermediary: {
        title: 'پاسخ از جای دیگری آمد',
        description: (c) =>
          `چیزی میان شما و سرور (فیلتر، پروکسی یا دروازهٔ شبکه) به جای خود سرور پاسخ داد${c.status ? ` (کد ${c.status})` : ''}. خودکار دوباره تلاش می‌کنیم؛ اگر ادامه یافت، شاید شبکه این صفحه را مسدود کرده است.`,
        admin: () => 'پاسخ از Persian Hub نبود: پروکسی معکوس جلوی برنامه و روشن بودن خود برنامه را بررسی کنید.',
      },
      server: {
        title: 'سرور نتوانست فهرست را بفرستد',
        description: (c) => `سرور با خطا پاسخ داد${c.status ? ` (کد ${c.status})` : ''}. خودکار دوباره تلاش می‌کنیم؛ اگر ادامه یافت، به مدیر سرور خبر دهید.`,
      },
      hub: {
        title: 'سرور به Hugging Face نمی‌رسد',
        description: () => 'سرور سالم است ولی الان به Hugging Face دسترسی ندارد. خودکار دوباره تلاش می‌کنیم؛ مدل‌های نصب‌شده همچنان کار می‌کنند.',
        admin: () => 'دسترسی اینترنت سرور را بررسی کنید، یا یک آینه (HF_ENDPOINT) یا پروکسی (HTTPS_PROXY) تنظیم کنید.',
      },
    },
    downloadsButton: 'دانلودها',
    activeDownloads: (n) => `${n} فعال`,
    titleProgress: (percent) => `(${percent})`,
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
    close: 'بستن',
    showFiles: (n) => `فایل‌ها (${n})`,
    hideFiles: 'بستن فهرست فایل‌ها',
    loadingFiles: 'در حال گرفتن فهرست فایل‌ها…',
    moreFiles: (n) => `و ${n} فایل دیگر`,
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
      title: 'در Hugging Face پیدا نشد',
      description: (c) => `${c.repoId ? `${c.repoId} دیگر` : 'این مورد دیگر'} در Hugging Face نیست، یا خصوصی شده است.`,
      admin: () => 'شناسهٔ مخزن را بررسی کنید؛ مخزن خصوصی به توکن (HF_TOKEN) حسابی نیاز دارد که به آن دسترسی دارد.',
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
      title: 'اول باید درخواست دسترسی بدهید',
      description: (c) =>
        `سازندهٔ ${c.repoId ?? 'این مدل'} فقط پس از درخواست دسترسی اجازهٔ دانلود می‌دهد. در صفحهٔ آن در Hugging Face درخواست دهید؛ پس از تأیید، سرور با حسابی که دسترسی دارد آن را دانلود می‌کند.`,
      admin: () => 'HF_TOKEN سرور را توکن خواندنیِ حسابی بگذارید که دسترسی گرفته، و سرور را دوباره راه‌اندازی کنید.',
    },
    UNAUTHORIZED: {
      title: 'Hugging Face ورود سرور را نپذیرفت',
      description: () => 'Hugging Face ورود این سرور را نپذیرفت. به مدیر سرور خبر دهید؛ مشکل از طرف شما نیست.',
      admin: () => 'توکن HF_TOKEN (یا ‎$HF_HOME/token) نامعتبر یا منقضی است: یک توکن خواندنی تازه بسازید.',
    },
    RATE_LIMITED: {
      title: 'Hugging Face خواست آهسته‌تر درخواست دهیم',
      description: (c) => `در زمان کوتاهی درخواست زیادی فرستاده شد. ${orNone(c.retryAfter, 'چند دقیقه')} دیگر دوباره تلاش کنید.`,
      admin: () => 'درخواست‌های با توکن (HF_TOKEN) سقف بالاتری دارند.',
    },
    NETWORK: {
      title: 'اتصال به Hugging Face قطع شد',
      description: () => 'سرور به Hugging Face نرسید. کمی بعد دوباره تلاش کنید؛ اگر باز هم نشد، از بستهٔ آفلاین نصب کنید.',
      admin: () => 'اگر huggingface.co از سرور در دسترس نیست، یک آینه (HF_ENDPOINT) یا پروکسی (HTTPS_PROXY) تنظیم کنید.',
    },
    BLOCKED: {
      title: 'Hugging Face در این شبکه مسدود است',
      description: () =>
        'اینترنت سرور به Hugging Face راه ندارد (فیلتر یا تحریم). این مدل را از بستهٔ آفلاین نصب کنید: کسی که دسترسی دارد آن را می‌سازد و می‌آورد، مثلاً روی فلش.',
      admin: () => 'سرور را به آینه‌ای (HF_ENDPOINT) یا پروکسی‌ای (HTTPS_PROXY) وصل کنید که به هاب می‌رسد.',
    },
    STALLED: {
      title: 'دانلود از حرکت ایستاد',
      description: () => 'مدت زیادی داده‌ای نرسید. دوباره تلاش کنید: آنچه دانلود شده نگه داشته شده است. اگر تکرار شد، از بستهٔ آفلاین نصب کنید.',
      admin: () => 'پیوند کند یا فیلترشده: آینه (HF_ENDPOINT) یا پروکسی (HTTPS_PROXY) ممکن است کمک کند.',
    },
    CHECKSUM_MISMATCH: {
      title: 'یک فایل خراب رسید',
      description: (c) => `${c.file ?? 'فایل دانلودشده'} با نسخهٔ اصلی یکی نبود و نگه داشته نشد. دوباره دانلود کنید.`,
      admin: () => 'اگر تکرار شد، ممکن است آینه یا پروکسی میان سرور و هاب فایل‌ها را تغییر دهد.',
    },
    DISK_FULL: {
      title: 'جای خالی روی سرور کافی نیست',
      description: (c) =>
        c.requiredBytes
          ? `این دانلود ${c.requiredBytes} جا لازم دارد${c.availableBytes ? `، ولی فقط ${c.availableBytes} آزاد است` : ''}. مدلی را که استفاده نمی‌کنید حذف کنید، یا از مدیر سرور جای بیشتری بخواهید.`
          : 'دیسک سرور پر است. مدلی را که استفاده نمی‌کنید حذف کنید، یا از مدیر سرور جای بیشتری بخواهید.',
      admin: () => 'فضا آزاد کنید یا پوشهٔ کش (HF_HOME / HF_HUB_CACHE) را به دیسک بزرگ‌تری ببرید.',
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
      description: () => 'این کار با وضعیت فعلی سازگار نیست؛ مثلاً دانلودی در حال استفاده از همین مدل است.',
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
      title: 'Hugging Face پاسخ غیرمنتظره‌ای داد',
      description: (c) => `Hugging Face با خطا پاسخ داد${c.status ? ` (کد ${c.status})` : ''}. کمی بعد دوباره تلاش کنید.`,
    },
    BUNDLE_INVALID: {
      title: 'بستهٔ آفلاین نامعتبر است',
      description: (c) =>
        c.file
          ? `فایل ${c.file} در بستهٔ آفلاین خراب است یا با فهرست بسته نمی‌خواند؛ چیزی نصب نشد. بسته را دوباره بسازید یا دوباره کپی کنید.`
          : 'بستهٔ آفلاین ناقص یا خراب است؛ چیزی نصب نشد. آن را دوباره بسازید یا دریافت کنید.',
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
  },
  unknownError: {
    title: 'خطا',
    description: () => 'خطایی رخ داد. جزئیات فنی را ببینید و دوباره تلاش کنید.',
  },
};
