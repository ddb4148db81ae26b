export { ProgressBar, progressPropsFromJob, type ProgressBarProps, type ProgressStatus } from './ProgressBar.js';
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
} from './ModelHubView.js';
export { DownloadsPanel, type DownloadsPanelProps } from './DownloadsPanel.js';
export { KindIcon, type KindIconProps } from './KindIcon.js';
export { PersianHubStyles } from './PersianHubStyles.js';
export { hubRepoUrl, DEFAULT_ENDPOINT } from './hubUrl.js';
export { filterModels, normalizeSearchText } from './filterModels.js';
export { HubMirrorNotice, type HubMirrorNoticeProps } from './HubMirrorNotice.js';
