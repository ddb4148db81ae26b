import { CopyIcon } from '@radix-ui/react-icons';
import { Button, Callout, Code, Flex, Text } from '@radix-ui/themes';
import { useState } from 'react';
import type { Locale } from '../i18n/Messages.js';
import { useLocale } from '../i18n/LocaleProvider.js';
import { PersianHubStyles } from './PersianHubStyles.js';

export interface HubMirrorNoticeProps {
  /** The mirror's absolute URL, e.g. `http://192.168.1.5:3001/hub`. */
  readonly url: string;
  /** Say that clients also need `HF_TOKEN`. @default false */
  readonly tokenRequired?: boolean;
  readonly locale?: Locale;
  readonly dir?: 'rtl' | 'ltr';
}

// Kept beside the component until the i18n tables are next reorganised.
const TEXT = {
  fa: {
    lead: 'این سرور یک آینهٔ Hugging Face Hub برای شبکهٔ شماست: مدل‌های نصب‌شده را با این متغیر از هر رایانه بگیرید',
    token: 'HF_TOKEN را هم برابر توکن آینه بگذارید.',
    copy: 'رونوشت',
    copied: 'رونوشت شد',
  },
  en: {
    lead: 'This server is a Hugging Face Hub mirror for your network: other machines get installed models with',
    token: 'Set HF_TOKEN to the mirror token as well.',
    copy: 'Copy',
    copied: 'Copied',
  },
} as const;

/** `HF_ENDPOINT=<url>` to copy, for Python, `@huggingface/hub` and other Persian Hubs on the LAN. */
export function HubMirrorNotice({ url, tokenRequired = false, locale, dir }: HubMirrorNoticeProps) {
  const lang = useLocale(locale);
  const t = TEXT[lang];
  const line = `HF_ENDPOINT=${url}`;
  const [copied, setCopied] = useState(false);
  const copy = () =>
    void navigator.clipboard?.writeText(line).then(
      () => setCopied(true),
      () => undefined,
    );
  return (
    // ph-root: the kit's phone rules (44 px touch targets) and Persian typography apply here too.
    <Callout.Root color="blue" variant="surface" size="1" dir={dir} className="ph-root" data-locale={lang}>
      <PersianHubStyles />
      <Flex gap="2" align="center" wrap="wrap">
        <Text size="2">{t.lead}</Text>
        {/* Grey at high contrast: the accent-coloured code on the blue callout was 4.07:1 (axe wants 4.5). */}
        <Code dir="ltr" color="gray" highContrast data-testid="hub-mirror-endpoint">
          {line}
        </Code>
        <Button size="1" variant="soft" highContrast onClick={copy} aria-label={`${t.copy}: ${line}`}>
          <CopyIcon aria-hidden />
          {copied ? t.copied : t.copy}
        </Button>
        {tokenRequired ? <Text size="2">{t.token}</Text> : null}
      </Flex>
    </Callout.Root>
  );
}
