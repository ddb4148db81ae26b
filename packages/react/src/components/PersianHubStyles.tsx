// The few rules inline styles cannot express (keyframes, reduced motion, hover on a track).
// React 19 hoists a <style> with `href` + `precedence` into <head> once, however many components
// render it, on the server and in the browser alike; so the package needs no CSS import and
// stays `sideEffects: false`.
const css = `
.ph-progress-track{position:relative;overflow:hidden;block-size:var(--ph-bar-size,8px);border-radius:9999px;background:var(--gray-a4)}
.ph-progress-fill{position:absolute;inset-block:0;inset-inline-start:0;border-radius:inherit;background:var(--ph-fill,var(--accent-9));transition:inline-size .3s ease}
.ph-progress-track[data-indeterminate] .ph-progress-fill{inline-size:35%}
.ph-progress-track[data-indeterminate][data-animated] .ph-progress-fill{animation:ph-indeterminate 1.4s ease-in-out infinite}
.ph-progress-track[data-state=paused] .ph-progress-fill{background-image:repeating-linear-gradient(45deg,transparent 0 6px,var(--black-a4) 6px 12px)}
.ph-progress-track[data-state=stalled] .ph-progress-fill{animation:ph-pulse 1.6s ease-in-out infinite}
@keyframes ph-indeterminate{from{inset-inline-start:-35%}to{inset-inline-start:100%}}
@keyframes ph-pulse{0%,100%{opacity:1}50%{opacity:.45}}
@media (prefers-reduced-motion:reduce){
.ph-progress-fill{transition:none}
.ph-progress-track[data-indeterminate][data-animated] .ph-progress-fill,.ph-progress-track[data-state=stalled] .ph-progress-fill{animation:none}
.ph-progress-track[data-indeterminate] .ph-progress-fill{inline-size:100%;opacity:.5}
}
.ph-ltr{direction:ltr;unicode-bidi:isolate;overflow-wrap:anywhere}
.ph-kind-filter{overflow-x:auto;max-inline-size:100%;padding-block:2px}
.ph-toast-viewport{position:fixed;inset-block-end:0;inset-inline-end:0;z-index:2147483647;display:flex;flex-direction:column;gap:8px;padding:16px;margin:0;list-style:none;inline-size:min(380px,100vw);outline:none}
.ph-toast{background:var(--color-panel-solid);color:var(--gray-12);border:1px solid var(--gray-a6);border-radius:var(--radius-4);box-shadow:var(--shadow-5);padding:12px 14px;display:flex;gap:10px;align-items:flex-start}
.ph-details summary{cursor:pointer}
`;

export function PersianHubStyles() {
  return (
    <style href="persian-hub-react" precedence="default">
      {css}
    </style>
  );
}
