export { ProgressBar, progressPropsFromJob, type ProgressBarProps, type ProgressRetry, type ProgressStatus } from './ProgressBar.js';
export { ConfirmDialog, type ConfirmDialogProps } from './ConfirmDialog.js';
export { Toasts, type ToastItem, type ToastType, type ToastsProps } from './Toasts.js';
export { isJobActive, isJobStalled, jobPhase, type JobPhase } from './jobPhase.js';
export { commercialUse, licenseName, modelFacts, tagsFor, type CommercialUse, type ModelFacts } from './modelFacts.js';
export {
  ModelCard,
  availableActions,
  type ModelCardProps,
  type ModelCardCallbacks,
  type ModelCardAction,
} from './ModelCard.js';
export {
  ModelHubView,
  KIND_FILTERS,
  type ModelHubViewProps,
  type HubNotification,
  type HubNotificationType,
  type HubNotificationText,
  type LiveStatus,
} from './ModelHubView.js';
export { DownloadsPanel, type DownloadsPanelProps } from './DownloadsPanel.js';
export { KindIcon, type KindIconProps } from './KindIcon.js';
export { PersianHubStyles } from './PersianHubStyles.js';
export { hubRepoUrl, DEFAULT_ENDPOINT } from './hubUrl.js';
export { filterModels, normalizeSearchText } from './filterModels.js';
