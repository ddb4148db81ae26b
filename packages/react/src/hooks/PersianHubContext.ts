import { createContext } from 'react';
import type { PersianHubStore } from '../store/types.js';

export const PersianHubContext = createContext<PersianHubStore | null>(null);
PersianHubContext.displayName = 'PersianHubContext';
