import type { CatalogKind } from '@persian-hub/client';
import { ChatBubbleIcon, Component1Icon, CubeIcon, SpeakerLoudIcon, TableIcon } from '@radix-ui/react-icons';

// Radix Icons has no microphone; this one follows their 15×15 grid and currentColor fill.
function MicrophoneIcon(props: { width?: number; height?: number }) {
  return (
    <svg width={props.width ?? 15} height={props.height ?? 15} viewBox="0 0 15 15" fill="none" aria-hidden="true">
      <rect x="5" y="1" width="5" height="8.5" rx="2.5" stroke="currentColor" />
      <path d="M3 7.5a4.5 4.5 0 0 0 9 0M7.5 12v2M5.5 14h4" stroke="currentColor" strokeLinecap="round" />
    </svg>
  );
}

export interface KindIconProps {
  readonly kind: CatalogKind;
  readonly size?: number;
}

/** Decorative (aria-hidden): the kind is always also written out as text next to it. */
export function KindIcon({ kind, size = 20 }: KindIconProps) {
  const p = { width: size, height: size, 'aria-hidden': true } as const;
  switch (kind) {
    case 'tts':
      return <SpeakerLoudIcon {...p} />;
    case 'asr':
      return <MicrophoneIcon width={size} height={size} />;
    case 'llm':
      return <ChatBubbleIcon {...p} />;
    case 'embedding':
      return <Component1Icon {...p} />;
    case 'dataset':
      return <TableIcon {...p} />;
    default:
      return <CubeIcon {...p} />;
  }
}
