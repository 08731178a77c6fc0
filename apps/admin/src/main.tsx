import { mountWebApp } from '@spotcheck/ui/shell';
import { App } from './App';
import { I18nProvider } from './i18n';
import './print.css';

// Staff sign in: the session cookie goes with every call, and large inputs (a rule pack to
// validate) go as POST. An answer about access or input will not change on retry; without a
// session the login page takes over.
mountWebApp({
  app: <App />,
  I18nProvider,
  basename: '/admin',
  colorPrimary: '#1d4ed8',
  query: { staleTime: 15_000, final: ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST'] },
  trpc: { credentials: 'same-origin', largeQueriesAsPost: true },
});
