import { Button, Layout, Menu, Select, Space, Typography } from 'antd';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useBureau, useBureaus } from '../bureau';
import { useI18n, type TKey } from '../i18n';

const NAV: { path: string; key: TKey }[] = [
  { path: '/', key: 'nav.home' },
  { path: '/checklist', key: 'nav.checklist' },
  { path: '/commitments', key: 'nav.commitments' },
  { path: '/draws', key: 'nav.draws' },
  { path: '/results', key: 'nav.results' },
  { path: '/blacklist', key: 'nav.blacklist' },
  { path: '/verify', key: 'nav.verify' },
  { path: '/how-to-verify', key: 'nav.howto' },
  { path: '/checkpoints', key: 'nav.checkpoints' },
];

/** Header with the column's name, the bureau picker and the language switch; menu; footer. */
export function PortalLayout() {
  const { t, lang, setLang } = useI18n();
  const { code, setCode } = useBureau();
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
          <Typography.Title level={3} style={{ color: '#fff', margin: 0 }} data-testid="portal-title">
            {t('app.title')}
          </Typography.Title>
          <Typography.Text style={{ color: '#fee2e2' }}>{t('app.subtitle')}</Typography.Text>
        </div>
        <Space wrap>
          <Typography.Text style={{ color: '#fff' }}>{t('bureau.label')}</Typography.Text>
          <Select
            data-testid="bureau-picker"
            value={code}
            onChange={setCode}
            style={{ width: 220 }}
            showSearch
            optionFilterProp="label"
            options={bureaus.list.map((b) => ({
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
        onClick={(e) => navigate(e.key)}
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
