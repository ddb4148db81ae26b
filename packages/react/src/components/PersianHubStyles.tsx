// Progress fills move with `transform` (scaleX), never with their width: ten bars updating four
// times a second over a hundred cards must not lay the page out again on every frame.
// The few rules Radix props cannot express (keyframes, reduced motion, the native dialog, touch
// targets, Persian typography). React 19 hoists a <style> with `href` + `precedence` into <head>
// once, however many components render it, on the server and in the browser alike; so the
// package needs no CSS import and stays `sideEffects: false`.
const css = `
.ph-progress-track{position:relative;overflow:hidden;block-size:var(--ph-bar-size,8px);border-radius:9999px;background:var(--gray-a4)}
.ph-progress-fill{position:absolute;inset:0;border-radius:inherit;background:var(--ph-fill,var(--accent-9));transform-origin:left;transition:transform .3s ease}
.ph-progress-fill[data-dir=rtl]{transform-origin:right}
.ph-progress-track[data-indeterminate] .ph-progress-fill{transform:scaleX(.35)}
.ph-progress-track[data-indeterminate][data-animated] .ph-progress-fill{animation:ph-indeterminate 1.4s ease-in-out infinite}
.ph-progress-track[data-indeterminate][data-animated] .ph-progress-fill[data-dir=rtl]{animation-name:ph-indeterminate-rtl}
.ph-progress-track[data-state=paused] .ph-progress-fill{background-image:repeating-linear-gradient(45deg,transparent 0 6px,var(--black-a4) 6px 12px)}
.ph-progress-track[data-state=stalled] .ph-progress-fill{animation:ph-pulse 1.6s ease-in-out infinite}
@keyframes ph-indeterminate{from{transform:translateX(-35%) scaleX(.35)}to{transform:translateX(100%) scaleX(.35)}}
@keyframes ph-indeterminate-rtl{from{transform:translateX(35%) scaleX(.35)}to{transform:translateX(-100%) scaleX(.35)}}
@keyframes ph-pulse{0%,100%{opacity:1}50%{opacity:.45}}
@media (prefers-reduced-motion:reduce){
.ph-progress-fill{transition:none}
.ph-progress-track[data-indeterminate][data-animated] .ph-progress-fill,.ph-progress-track[data-state=stalled] .ph-progress-fill{animation:none}
.ph-progress-track[data-indeterminate] .ph-progress-fill{transform:none;opacity:.5}
}
.ph-ltr{direction:ltr;unicode-bidi:isolate;overflow-wrap:anywhere}
.ph-root[data-locale=fa]{--default-font-family:'Vazirmatn Variable',Vazirmatn,-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,system-ui,sans-serif;--heading-font-family:var(--default-font-family);--default-line-height:1.7;--line-height-1:calc(20px*var(--scaling));--line-height-2:calc(24px*var(--scaling));--line-height-3:calc(28px*var(--scaling));--line-height-4:calc(30px*var(--scaling));--line-height-5:calc(34px*var(--scaling));--line-height-6:calc(40px*var(--scaling));--heading-line-height-1:calc(20px*var(--scaling));--heading-line-height-2:calc(24px*var(--scaling));--heading-line-height-3:calc(26px*var(--scaling));--heading-line-height-4:calc(30px*var(--scaling));--heading-line-height-5:calc(32px*var(--scaling));--heading-line-height-6:calc(40px*var(--scaling));font-family:var(--default-font-family);line-height:var(--default-line-height)}
.ph-root p{margin:0}
.ph-card{block-size:100%;content-visibility:auto;contain-intrinsic-size:auto 320px}
.ph-kind-icon{inline-size:36px;block-size:36px;border-radius:var(--radius-3);background:var(--accent-a3);color:var(--accent-11)}
.ph-clamp{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;line-clamp:2;overflow:hidden}
.ph-chips{display:flex;flex-wrap:wrap;gap:6px;margin:0;padding:0;list-style:none}
.ph-chips .rt-Badge{max-inline-size:100%}
.ph-root .rt-Button.rt-variant-ghost{margin:0}
.ph-details summary{cursor:pointer}
.ph-kind-filter{overflow-x:auto;max-inline-size:100%;padding-block:2px}
.ph-table-scroll{overflow-x:auto}
.ph-files{inline-size:100%;border-collapse:collapse;font-size:var(--font-size-1)}
.ph-files th,.ph-files td{padding:6px 8px;border-block-end:1px solid var(--gray-a5);text-align:start;vertical-align:middle;white-space:nowrap}
.ph-files thead th{color:var(--gray-11);font-weight:500}
.ph-files tbody th{font-weight:400;white-space:normal}
.ph-select{font:inherit;font-size:var(--font-size-2);block-size:var(--space-6);padding-inline:var(--space-3);border-radius:var(--radius-2);border:1px solid var(--gray-a7);background:var(--color-surface);color:var(--gray-12);max-inline-size:100%}
.ph-select:focus-visible{outline:2px solid var(--focus-8);outline-offset:1px}
.ph-notice{display:flex;flex-wrap:wrap;align-items:center;gap:8px;padding:6px 12px;border-radius:var(--radius-3);background:var(--amber-a3);color:var(--amber-12);font-size:var(--font-size-1)}
.ph-toast-viewport{position:fixed;inset-block-end:0;inset-inline-end:0;z-index:2147483647;padding:16px;inline-size:min(380px,100vw);box-sizing:border-box;pointer-events:none}
.ph-toast-viewport ol{display:flex;flex-direction:column;gap:8px;margin:0;padding:0;list-style:none}
.ph-toast{pointer-events:auto;background:var(--color-panel-solid);color:var(--gray-12);border:1px solid var(--gray-a6);border-radius:var(--radius-4);box-shadow:var(--shadow-5);padding:12px 14px;display:flex;gap:10px;align-items:flex-start}
.ph-dialog{border:0;border-radius:var(--radius-4);background:var(--color-panel-solid);color:var(--gray-12);box-shadow:var(--shadow-6);padding:var(--space-5);inline-size:min(440px,calc(100vw - 32px));box-sizing:border-box}
.ph-dialog::backdrop,.ph-sheet::backdrop{background:rgba(0,0,0,.45)}
.ph-sheet{border:0;margin:0;margin-inline-start:auto;inset-block:0;block-size:100%;max-block-size:100%;inline-size:min(640px,100vw);max-inline-size:100vw;box-sizing:border-box;padding:var(--space-4);background:var(--color-panel-solid);color:var(--gray-12);box-shadow:var(--shadow-6);overflow-y:auto}
@media (max-width:640px){.ph-hide-narrow{display:none}}
@media (max-width:640px),(pointer:coarse){
.ph-root .rt-BaseButton{--base-button-height:44px;min-block-size:44px}
.ph-root .rt-BaseButton.rt-variant-ghost{box-sizing:border-box}
.ph-root .rt-TextFieldRoot{--text-field-height:44px}
.ph-table-scroll{overflow-x:auto}
.ph-files{inline-size:100%;border-collapse:collapse;font-size:var(--font-size-1)}
.ph-files th,.ph-files td{padding:6px 8px;border-block-end:1px solid var(--gray-a5);text-align:start;vertical-align:middle;white-space:nowrap}
.ph-files thead th{color:var(--gray-11);font-weight:500}
.ph-files tbody th{font-weight:400;white-space:normal}
.ph-select{block-size:44px}
.ph-details>summary{min-block-size:44px;box-sizing:border-box;padding-block:10px}
}
`;

export function PersianHubStyles() {
  return (
    <style href="persian-hub-react" precedence="default">
      {css}
    </style>
  );
}
