// Shared by the examples: one terminal line for a job snapshot.
const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

export function formatBytes(n) {
  if (n === null || n === undefined) return '?';
  let i = 0;
  let v = n;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${UNITS[i]}`;
}

export function formatEta(seconds) {
  if (seconds === null || seconds === undefined) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function formatProgressLine(job) {
  const pct = job.bytesTotal === null ? '  ?%' : `${job.progress.toFixed(1).padStart(5)}%`;
  const file = job.currentFile ? ` ${job.currentFile}` : '';
  return `${job.status.padEnd(11)} ${pct}  ${formatBytes(job.bytesDownloaded)} / ${formatBytes(job.bytesTotal)}  ${formatBytes(job.speed)}/s  ETA ${formatEta(job.eta)}${file}`;
}
