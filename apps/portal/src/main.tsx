import { mountWebApp } from '@spotcheck/ui/shell';
import { App } from './App';
import { BureauProvider } from './bureau';
import { I18nProvider } from './i18n';
import './responsive.css';

// Visitors never sign in, so no cookie is sent; publications are immutable, so answers stay
// fresh for a minute.
mountWebApp({
  app: (
    <BureauProvider>
      <App />
    </BureauProvider>
  ),
  I18nProvider,
  colorPrimary: '#b91c1c',
  query: { staleTime: 60_000, final: ['NOT_FOUND', 'BAD_REQUEST'] },
  trpc: { credentials: 'omit', largeQueriesAsPost: false },
});
