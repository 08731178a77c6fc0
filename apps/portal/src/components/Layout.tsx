import { Button, Layout, Menu, Space } from 'antd';
import { useEffect } from 'react';
import { Outlet, useLocation, useNavigate, useSearchParams } from 'react-router';
import { useBureau } from '../bureau';
import { useBureaus } from '@spotcheck/ui/trpc';
import { useI18n, type TKey } from '../i18n';
import { BureauPicker } from './BureauPicker';
import { Heading } from '@spotcheck/ui/plain';
import { usePublication } from './queries';

const NAV: { path: string; key: TKey }[] = [
  { path: '/', key: 'nav.home' },
  { path: '/checklist', key: 'nav.checklist' },
  { path: '/commitments', key: 'nav.commitments' },
  { path: '/draws', key: 'nav.draws' },
  { path: '/results', key: 'nav.results' },
  { path: '/supervision', key: 'nav.supervision' },
  { path: '/blacklist', key: 'nav.blacklist' },
  { path: '/keys', key: 'nav.keys' },
  { path: '/open-data', key: 'nav.openData' },
  { path: '/verify', key: 'nav.verify' },
  { path: '/how-to-verify', key: 'nav.howto' },
  { path: '/checkpoints', key: 'nav.checkpoints' },
];

const DETAIL = /^\/(?:draws|commitments|results|publication|checklist)\/([0-9a-f-]{36})$/;

/**
 * Keeps the chosen bureau in the URL (`?bureau=`), so a shared link opens the same bureau: the
 * URL wins when it names one; a publication's page adopts the publication's own bureau (a shared
 * draw link opens the right bureau even without the parameter).
 */
function useBureauInUrl() {
  const { code, setCode } = useBureau();
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const detailId = DETAIL.exec(location.pathname)?.[1] ?? '';
  const pub = usePublication(detailId);
  const own = detailId ? pub.data?.bureauCode : undefined;
  const q = params.get('bureau');
  useEffect(() => {
    const want = own ?? (q && /^\d{6}$/.test(q) ? q : null);
    if (want) {
      if (want !== code) setCode(want);
      if (q !== want)
        setParams(
          (p) => {
            p.set('bureau', want);
            return p;
          },
          { replace: true },
        );
    } else
      setParams(
        (p) => {
          p.set('bureau', code);
          return p;
        },
        { replace: true },
      );
  }, [q, own, code, setCode, setParams]);
  const navigate = useNavigate();
  const choose = (c: string) => {
    setCode(c);
    // A publication belongs to its bureau: choosing another leaves its page for that bureau's home.
    if (detailId) return navigate(`/?bureau=${c}`);
    setParams(
      (p) => {
        p.set('bureau', c);
        return p;
      },
      { replace: false },
    );
  };
  return { code, choose };
}

/** Header with the column's name, the bureau picker and the language switch; menu; footer. */
export function PortalLayout() {
  const { t, lang, setLang } = useI18n();
  const { code, choose } = useBureauInUrl();
  const bureaus = useBureaus();
  const location = useLocation();
  const navigate = useNavigate();
  const selected = NAV.filter((n) =>
    n.path === '/' ? location.pathname === '/' : location.pathname.startsWith(n.path),
  )
    .map((n) => n.path)
    .slice(-1);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          background: '#b91c1c',
          display: 'flex',
          alignItems: 'center',
          gap: 24,
          height: 'auto',
          padding: '12px 32px',
          flexWrap: 'wrap',
        }}
      >
        <div style={{ flex: 1, minWidth: 280 }}>
          <Heading level={3} style={{ color: '#fff', margin: 0 }} data-testid="portal-title">
            {t('app.title')}
          </Heading>
          <span style={{ color: '#fee2e2' }}>{t('app.subtitle')}</span>
        </div>
        <Space wrap>
          <span style={{ color: '#fff' }}>{t('bureau.label')}</span>
          <BureauPicker
            value={code}
            onChange={choose}
            choices={bureaus.list.map((b) => ({
              value: b.code,
              label: b.level === 'city' ? `${b.name}（${t('bureau.city')}）` : b.name,
            }))}
          />
          <Button ghost onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} data-testid="lang-switch">
            {t('lang.switch')}
          </Button>
        </Space>
      </Layout.Header>
      <Menu
        mode="horizontal"
        data-testid="main-menu"
        selectedKeys={selected}
        onClick={(e) => navigate(`${e.key}?bureau=${code}`)}
        items={NAV.map((n) => ({ key: n.path, label: t(n.key) }))}
        style={{ padding: '0 24px' }}
      />
      <Layout.Content style={{ padding: '24px 32px', maxWidth: 1400, width: '100%', margin: '0 auto' }}>
        <Outlet />
      </Layout.Content>
      <Layout.Footer style={{ textAlign: 'center', color: '#64748b', fontSize: 12 }}>
        {t('app.footer')}
      </Layout.Footer>
    </Layout>
  );
}
