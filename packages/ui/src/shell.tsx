import { QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider, Spin } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, StrictMode, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { useI18n } from './i18n';
import {
  makeQueryClient,
  makeTrpcClient,
  TRPCProvider,
  type QueryClientOptions,
  type TrpcClientOptions,
} from './trpc';

/** What a web app brings to the shared frame. */
export interface WebApp {
  /** The app's routes. */
  app: ReactNode;
  /** The app's language provider (`createI18n`). */
  I18nProvider: ComponentType<{ children: ReactNode }>;
  /** Where the app is served (`/admin`); the site root without one. */
  basename?: string;
  /** The theme's primary colour. */
  colorPrimary: string;
  query: QueryClientOptions;
  trpc: TrpcClientOptions;
}

/**
 * Renders a web app into `#root` in strict mode, inside the providers every app has: the query
 * and tRPC clients, the language, the router, and antd's theme and locale (dayjs following the
 * language).
 */
export function mountWebApp(app: WebApp): void {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Providers {...app} />
    </StrictMode>,
  );
}

function Providers({ app, I18nProvider, basename, colorPrimary, query, trpc }: WebApp) {
  const [queryClient] = useState(() => makeQueryClient(query));
  const [trpcClient] = useState(() => makeTrpcClient(trpc));
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <I18nProvider>
          <BrowserRouter basename={basename}>
            <Themed colorPrimary={colorPrimary}>{app}</Themed>
          </BrowserRouter>
        </I18nProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}

/** antd's theme and locale in the current language; dayjs (dates in pickers) follows it. */
function Themed({ colorPrimary, children }: { colorPrimary: string; children: ReactNode }) {
  const { lang } = useI18n();
  useEffect(() => {
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  }, [lang]);
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ token: { colorPrimary, borderRadius: 4 } }}>
      {children}
    </ConfigProvider>
  );
}

/** What shows while a page's code loads (a chunk on a slow line takes a moment). */
export function Loading({ marginTop = 120 }: { marginTop?: number }) {
  const { t } = useI18n();
  return (
    <div
      role="status"
      style={{ display: 'flex', justifyContent: 'center', alignItems: 'center', gap: 8, marginTop }}
    >
      <Spin />
      <span>{t('common.loading')}</span>
    </div>
  );
}

// Result carries large illustrations; only a 403 or a 404 needs it.
const Result = lazy(() => import('antd/es/result'));

/** A whole-page answer for a status (403, 404) with a sentence in the page's language. */
export function StatusPage({ status, message }: { status: '403' | '404'; message: string }) {
  return <Result status={status} title={status} subTitle={message} />;
}

/** The page for a route that does not exist. */
export function NotFound() {
  const { t } = useI18n();
  return <StatusPage status="404" message={t('common.notFound')} />;
}
