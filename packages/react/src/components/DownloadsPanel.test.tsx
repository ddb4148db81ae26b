import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { DownloadsPanel } from './DownloadsPanel.js';
import { makeJob, makeModel, renderInTheme } from './testing.js';

const job = makeJob({
  files: [
    { path: 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx', size: 63_000_000, bytesDownloaded: 31_500_000, status: 'downloading', lfs: true },
    { path: 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx.json', size: 5_000, bytesDownloaded: 5_000, status: 'completed', lfs: false },
  ],
});

describe('DownloadsPanel', () => {
  it('lists each file left-to-right with its size and progress', () => {
    renderInTheme(<DownloadsPanel jobs={[job]} models={[makeModel()]} />);
    expect(screen.getByRole('heading', { name: 'صدای امیر (Piper)' })).toBeTruthy();
    const path = screen.getByText('fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx');
    expect(path.tagName).toBe('BDI');
    expect(path.getAttribute('dir')).toBe('ltr');
    expect(screen.getByText('۶۳ مگابایت')).toBeTruthy();
    const fileBar = screen.getByRole('progressbar', { name: 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx' });
    expect(fileBar.getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByRole('progressbar', { name: 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx.json' }).getAttribute('aria-valuenow')).toBe('100');
  });

  it('pauses, resumes and cancels by job id', async () => {
    const user = userEvent.setup();
    const onPause = vi.fn();
    const onResume = vi.fn();
    const onCancel = vi.fn();
    renderInTheme(
      <DownloadsPanel
        locale="en"
        jobs={[job, makeJob({ id: 'job-2', status: 'paused', repoId: 'org/other', catalogId: null })]}
        onPause={onPause}
        onResume={onResume}
        onCancel={onCancel}
      />,
    );
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    expect(onPause).toHaveBeenCalledWith('job-1');
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    expect(onResume).toHaveBeenCalledWith('job-2');
    await user.click(screen.getAllByRole('button', { name: 'Cancel' })[1]!);
    expect(onCancel).toHaveBeenCalledWith('job-2');
  });

  it('says when there are no downloads', () => {
    renderInTheme(<DownloadsPanel locale="en" jobs={[]} />);
    expect(screen.getByText('No downloads.')).toBeTruthy();
  });
});
