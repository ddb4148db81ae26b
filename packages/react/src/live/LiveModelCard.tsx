import { memo, useCallback } from 'react';
import { ModelCard, type ModelCardAction, type ModelCardProps } from '../components/ModelCard.js';
import { useModel } from '../hooks/useModel.js';
import { usePersianHubSelector } from '../hooks/usePersianHubStore.js';
import type { PendingAction, PersianHubState } from '../store/types.js';

const CARD_ACTION: Record<Exclude<PendingAction, 'import'>, ModelCardAction> = {
  start: 'download',
  pause: 'pause',
  resume: 'resume',
  cancel: 'cancel',
  remove: 'remove',
};

/**
 * A card that follows its own entry in the store: the list hands it the entry as last fetched,
 * and it reads the live one (job, install status) and its pending action itself. A progress tick
 * of one download therefore renders this one card, not the list around it.
 */
export const LiveModelCard = memo(function LiveModelCard(props: ModelCardProps) {
  const live = useModel(props.model.id) ?? props.model;
  const jobId = live.job?.id;
  const selectPending = useCallback(
    (s: PersianHubState): ModelCardAction | null => {
      const action = s.pending[live.id] ?? (jobId ? s.pending[jobId] : undefined);
      return action && action !== 'import' ? CARD_ACTION[action] : null;
    },
    [live.id, jobId],
  );
  const pending = usePersianHubSelector(selectPending);
  return <ModelCard {...props} model={live} pendingAction={pending ?? props.pendingAction ?? null} />;
});
