// FAKE: an in-browser state machine that pretends to download. Nothing is fetched; no server,
// no Hub. It exists to show the view's transitions (queued → downloading → verifying → done,
// pause, resume, cancel, a gated failure) and the toasts, driven by setInterval.
import {
  ModelHubView,
  type AvailableModel,
  type HubNotification,
  type JobSnapshot,
  type KindFilter,
  type ModelCardAction,
} from '@persian-hub/react';
import { Callout } from '@radix-ui/themes';
import { InfoCircledIcon } from '@radix-ui/react-icons';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect, useRef, useState } from 'react';
import { catalog, installed, job } from './fixtures.js';

const TICK_MS = 250;
/** Every fake download takes about this long, whatever its size. */
const FAKE_SECONDS = 12;
const ACTION_LATENCY_MS = 350;

function FakeLiveHub({ locale }: { locale?: 'fa' | 'en' }) {
  const [models, setModels] = useState<AvailableModel[]>(() =>
    catalog.map((m) => (m.id === 'piper-fa-amir' ? { ...m, installed: installed(m) } : m)),
  );
  const [notifications, setNotifications] = useState<HubNotification[]>([]);
  const [pending, setPending] = useState<Record<string, ModelCardAction | undefined>>({});
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState<KindFilter>('all');
  const seq = useRef(0);

  const notify = (type: HubNotification['type'], j: JobSnapshot) => {
    seq.current += 1;
    setNotifications((list) => [...list, { id: `fake-${seq.current}`, type, job: j }]);
  };

  const updateJob = (predicate: (m: AvailableModel) => boolean, change: (m: AvailableModel) => AvailableModel) =>
    setModels((list) => list.map((m) => (predicate(m) ? change(m) : m)));

  // Pretend the server takes a moment to answer, so the buttons show their loading state.
  const later = (modelId: string, action: ModelCardAction, effect: () => void) => {
    setPending((p) => ({ ...p, [modelId]: action }));
    setTimeout(() => {
      setPending((p) => ({ ...p, [modelId]: undefined }));
      effect();
    }, ACTION_LATENCY_MS);
  };

  const byJob = (jobId: string) => (m: AvailableModel) => m.job?.id === jobId;
  const modelOfJob = (jobId: string) => models.find(byJob(jobId));

  useEffect(() => {
    const timer = setInterval(() => {
      const now = new Date().toISOString();
      setModels((list) =>
        list.map((m) => {
          const j = m.job;
          if (!j) return m;
          if (j.status === 'queued') {
            return { ...m, job: { ...j, status: 'resolving', updatedAt: now } };
          }
          if (j.status === 'resolving') {
            if (m.gated) {
              const failed: JobSnapshot = {
                ...j,
                status: 'failed',
                updatedAt: now,
                error: { code: 'GATED_REPO', message: `Access to ${m.repoId} is restricted (fake)`, details: { status: 403 } },
              };
              notify('failed', failed);
              return { ...m, job: failed };
            }
            // Datasets keep an unknown total for a moment, to show the indeterminate bar.
            const total = m.repoType === 'dataset' && j.bytesDownloaded < m.sizeBytes * 0.15 ? null : m.sizeBytes;
            return { ...m, job: { ...j, status: 'downloading', bytesTotal: total, commit: 'fake000', updatedAt: now } };
          }
          if (j.status === 'downloading') {
            const speed = (m.sizeBytes / FAKE_SECONDS) * (0.8 + Math.random() * 0.4);
            const done = Math.min(m.sizeBytes, j.bytesDownloaded + (speed * TICK_MS) / 1000);
            const total = j.bytesTotal === null && done < m.sizeBytes * 0.15 ? null : m.sizeBytes;
            if (done >= m.sizeBytes) {
              return { ...m, job: { ...j, status: 'verifying', bytesDownloaded: done, bytesTotal: total, progress: 100, speed: 0, eta: 0, updatedAt: now } };
            }
            return {
              ...m,
              job: {
                ...j,
                bytesDownloaded: done,
                bytesTotal: total,
                progress: total === null ? 0 : Math.round((done / total) * 1000) / 10,
                speed,
                eta: total === null ? null : (total - done) / speed,
                currentFile: m.include[0] ?? 'model.safetensors',
                updatedAt: now,
              },
            };
          }
          if (j.status === 'verifying') {
            const completed: JobSnapshot = { ...j, status: 'completed', completedAt: now, updatedAt: now, currentFile: null };
            notify('completed', completed);
            return { ...m, job: completed, installed: installed(m) };
          }
          return m;
        }),
      );
    }, TICK_MS);
    return () => clearInterval(timer);
  }, []);

  return (
    <>
      <Callout.Root color="amber" highContrast mb="4" size="1">
        <Callout.Icon>
          <InfoCircledIcon />
        </Callout.Icon>
        <Callout.Text>
          {locale === 'en'
            ? 'Fake demo: downloads are simulated in the browser; nothing is fetched.'
            : 'نمایش ساختگی: دانلودها در مرورگر شبیه‌سازی می‌شوند و چیزی دریافت نمی‌شود.'}
        </Callout.Text>
      </Callout.Root>
      <ModelHubView
        locale={locale}
        models={models}
        query={query}
        kind={kind}
        onQueryChange={setQuery}
        onKindChange={setKind}
        notifications={notifications}
        pendingActions={pending}
        onDownload={(id) =>
          later(id, 'download', () => {
            const model = models.find((m) => m.id === id);
            if (!model) return;
            const j = job(model, { id: `fake-job-${id}-${Date.now()}`, status: 'queued', bytesTotal: null });
            updateJob((m) => m.id === id, (m) => ({ ...m, job: j }));
            notify('started', j);
          })
        }
        onPause={(jobId) => {
          const m = modelOfJob(jobId);
          if (m) later(m.id, 'pause', () => updateJob(byJob(jobId), (x) => ({ ...x, job: x.job && { ...x.job, status: 'paused', speed: 0, eta: null } })));
        }}
        onResume={(jobId) => {
          const m = modelOfJob(jobId);
          if (m) later(m.id, 'resume', () => updateJob(byJob(jobId), (x) => ({ ...x, job: x.job && { ...x.job, status: 'downloading' } })));
        }}
        onCancel={(jobId) => {
          const m = modelOfJob(jobId);
          if (m) later(m.id, 'cancel', () => updateJob(byJob(jobId), (x) => ({ ...x, job: x.job && { ...x.job, status: 'cancelled', speed: 0, eta: null } })));
        }}
        onRemove={(id) => later(id, 'remove', () => updateJob((m) => m.id === id, (m) => ({ ...m, installed: null, job: null })))}
        onOpenFolder={(id, path) => console.info('[fake] open folder', id, path)}
      />
    </>
  );
}

const meta = {
  title: 'Demos/FakeLiveHub',
  component: FakeLiveHub,
  parameters: { docs: { description: { component: 'A fake, in-browser download simulation. Not connected to anything.' } } },
} satisfies Meta<typeof FakeLiveHub>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Persian: Story = { globals: { locale: 'fa', theme: 'light' } };
export const English: Story = { args: { locale: 'en' }, globals: { locale: 'en', theme: 'light' } };
