import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ProgressBar, progressPropsFromJob } from './ProgressBar.js';
import { makeJob, renderInTheme } from './testing.js';

describe('ProgressBar', () => {
  it('exposes the percentage and a Persian text alternative', () => {
    renderInTheme(<ProgressBar percent={45} bytesDownloaded={120_000_000} bytesTotal={450_000_000} />);
    const bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('45');
    expect(bar.getAttribute('aria-valuemin')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    expect(bar.getAttribute('aria-valuetext')).toBe('۴۵٪، ۱۲۰ از ۴۵۰ مگابایت');
    expect(bar.getAttribute('aria-label')).toBe('پیشرفت دانلود');
  });

  it('derives the percentage from bytes and speaks English', () => {
    renderInTheme(<ProgressBar locale="en" bytesDownloaded={225_000_000} bytesTotal={450_000_000} />);
    const bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(bar.getAttribute('aria-valuetext')).toBe('50%, 225 of 450 MB');
  });

  it('is indeterminate without aria-valuenow when the total is unknown', () => {
    renderInTheme(<ProgressBar bytesDownloaded={120_000_000} bytesTotal={null} />);
    const bar = screen.getByRole('progressbar');
    expect(bar.hasAttribute('aria-valuenow')).toBe(false);
    expect(bar.hasAttribute('data-indeterminate')).toBe(true);
    expect(bar.getAttribute('aria-valuetext')).toBe('۱۲۰ مگابایت دریافت شد، حجم کل نامشخص');
  });

  it('shows speed, time left and the current file while downloading', () => {
    renderInTheme(
      <ProgressBar locale="en" bytesDownloaded={1} bytesTotal={10} speed={2_500_000} eta={135} currentFile="model.onnx" />,
    );
    expect(screen.getByText('2.5 MB/s')).toBeTruthy();
    expect(screen.getByText('2 min 15 s left')).toBeTruthy();
    expect(screen.getByText('model.onnx').tagName).toBe('BDI');
  });

  it.each([
    ['downloading', false, 'در حال دانلود'],
    ['paused', false, 'متوقف شده'],
    ['downloading', true, 'بدون پیشرفت'],
    ['error', false, 'خطا'],
    ['done', false, 'کامل شد'],
    ['queued', false, 'در صف'],
  ] as const)('labels the %s state (stalled: %s)', (status, stalled, label) => {
    renderInTheme(<ProgressBar status={status} stalled={stalled} bytesDownloaded={5} bytesTotal={10} />);
    expect(screen.getByText(label)).toBeTruthy();
    const bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('data-state')).toBe(stalled ? 'stalled' : status);
    if (status !== 'downloading' || stalled) expect(bar.getAttribute('aria-valuetext')).toContain(label);
  });

  it('says "waiting for another program" instead of stalled while the job waits for another process, naming the file', () => {
    const job = makeJob({ status: 'downloading', speed: 0, waitingFor: 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx' });
    renderInTheme(<ProgressBar {...progressPropsFromJob(job, true)} />);
    const bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('data-state')).toBe('waiting');
    expect(bar.getAttribute('aria-valuetext')).toContain('در انتظار برنامه‌ای دیگر');
    expect(screen.queryByText('بدون پیشرفت')).toBeNull();
    expect(screen.getByText(/برنامه‌ی دیگری روی سرور همین فایل را دریافت می‌کند/)).toBeTruthy();
    expect(screen.getByText('fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx').tagName).toBe('BDI');
  });

  it('is not waiting when the job is paused, even if it was waiting before', () => {
    renderInTheme(<ProgressBar locale="en" status="paused" waiting bytesDownloaded={5} bytesTotal={10} />);
    expect(screen.getByRole('progressbar').getAttribute('data-state')).toBe('paused');
    expect(screen.queryByText('Waiting for another program')).toBeNull();
  });

  it('says done at 100% even when the total was never known', () => {
    renderInTheme(<ProgressBar locale="en" status="done" bytesDownloaded={10} bytesTotal={null} />);
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
  });

  it('maps a job snapshot; resolving is «preparing», not «queued»', () => {
    expect(progressPropsFromJob(makeJob({ status: 'resolving', bytesTotal: null }), false, 450_000_000)).toMatchObject({
      status: 'preparing',
      percent: null,
      expectedBytes: 450_000_000,
    });
    expect(progressPropsFromJob(makeJob({ status: 'paused' }), true)).toMatchObject({ status: 'paused', percent: 26.7 });
  });

  it('says «preparing» with the size the catalog expects while the total is unknown', () => {
    renderInTheme(<ProgressBar {...progressPropsFromJob(makeJob({ status: 'resolving', bytesTotal: null, bytesDownloaded: 0, speed: 0 }), false, 450_000_000)} />);
    expect(screen.getByText('در حال آماده‌سازی')).toBeTruthy();
    expect(screen.getByText('حدود ۴۵۰ مگابایت')).toBeTruthy();
    expect(screen.queryByText(/نامشخص/)).toBeNull();
    expect(screen.getByTestId('progress-note').textContent).toContain('فهرست فایل‌ها');
  });

  it('shows a wait before the next try as a countdown with the attempt, not as «queued»', () => {
    const job = makeJob({
      status: 'downloading',
      speed: 0,
      retry: { file: 'model.onnx', attempt: 2, maxAttempts: 5, nextAttemptAt: new Date(Date.now() + 90_000).toISOString(), error: { code: 'RATE_LIMITED', message: '429', details: { retryAfter: 90 } } },
    });
    const { unmount } = renderInTheme(<ProgressBar {...progressPropsFromJob(job)} locale="en" />);
    expect(screen.getByText('Waiting to retry')).toBeTruthy();
    expect(screen.getByTestId('progress-note').textContent).toMatch(/^Trying again in 1 min (2[89]|30) s \(attempt 2 of 5\)\. Why: Hugging Face asked us to slow down$/);
    expect(screen.getByRole('progressbar').closest('[data-state]')!.getAttribute('data-state')).toBe('retrying');
    unmount();
    renderInTheme(<ProgressBar {...progressPropsFromJob(job)} />);
    expect(screen.getByTestId('progress-note').textContent).toContain('(بار ۲ از ۵)');
  });

  it('says what to do when a download stalls', () => {
    renderInTheme(<ProgressBar {...progressPropsFromJob(makeJob({ speed: 0 }))} locale="en" />);
    expect(screen.getByText('Stalled')).toBeTruthy();
    expect(screen.getByTestId('progress-note').textContent).toContain('pause and resume');
    expect(screen.getByTestId('progress-note').textContent).toContain('offline bundle');
  });

  it('counts files when the job has several', () => {
    renderInTheme(<ProgressBar {...progressPropsFromJob(makeJob({ fileCount: 12, filesCompleted: 3 }))} />);
    expect(screen.getByText('۳ از ۱۲ فایل')).toBeTruthy();
  });
});
