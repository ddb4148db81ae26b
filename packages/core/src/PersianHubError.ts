// The error class and its stable codes live in @persian-hub/client, so a browser, the server and
// core throw and recognise one and the same class. Core re-exports it unchanged.
export {
  ERROR_CODES,
  PersianHubError,
  isPersianHubError,
  isPersianHubErrorCode,
  type PersianHubErrorCode,
  type PersianHubErrorDetails,
  type PersianHubErrorJSON,
} from '@persian-hub/client';
