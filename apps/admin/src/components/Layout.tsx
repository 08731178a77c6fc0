import {
  ApiOutlined,
  ProfileOutlined,
  AuditOutlined,
  BarChartOutlined,
  CheckSquareOutlined,
  ControlOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  EyeOutlined,
  FieldTimeOutlined,
  FileDoneOutlined,
  KeyOutlined,
  LogoutOutlined,
  NotificationOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  TeamOutlined,
  TranslationOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Layout, Menu, Select, Space, Tag, Typography, type MenuProps } from 'antd';
import { createContext, Suspense, useContext, useMemo, useState, type ReactNode } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useI18n } from '../i18n';
import { Loading } from '@spotcheck/ui/shell';
import { canOpen, CITY_BUREAU, type Area } from '../lib/access';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import { useSession } from '../session';

interface BureauScope {
  /** The bureau the pages show; `undefined` for every bureau in reach (city roles). */
  bureauCode: string | undefined;
  setBureauCode: (code: string | undefined) => void;
  /** Whether the user reaches every bureau (a city grant). */
  cityWide: boolean;
}

const BureauScopeContext = createContext<BureauScope | null>(null);

/** The bureau the pages are scoped to (the header selector). */
export function useBureauScope(): BureauScope {
  const ctx = useContext(BureauScopeContext);
  if (!ctx) throw new Error('useBureauScope outside Layout');
  return ctx;
}

interface NavEntry {
  key: string;
  area: Area;
  icon: ReactNode;
  label: string;
  children?: { key: string; label: string }[];
}

/** The authenticated shell: role-aware side menu, bureau selector, language switch, sign-out. */
export function AppLayout() {
  const { t, lang, setLang } = useI18n();
  const user = useSession();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const bureaus = useBureaus();
  const cityWide = user.roles.some((g) => g.bureauCode === CITY_BUREAU);
  const [bureauCode, setBureauCode] = useState<string | undefined>(cityWide ? undefined : user.bureauCode);
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: async () => {
        qc.clear();
        void navigate('/login');
      },
    }),
  );

  const entries: NavEntry[] = [
    { key: '/', area: 'workbench', icon: <DashboardOutlined />, label: t('nav.workbench') },
    { key: '/plans', area: 'plans', icon: <ScheduleOutlined />, label: t('nav.plans') },
    { key: '/tasks', area: 'tasks', icon: <UnorderedListOutlined />, label: t('nav.tasks') },
    { key: '/results', area: 'results', icon: <FileDoneOutlined />, label: t('nav.results') },
    {
      key: 'rosters',
      area: 'rosters',
      icon: <DatabaseOutlined />,
      label: t('nav.rosters'),
      children: [
        { key: '/rosters/units', label: t('nav.units') },
        { key: '/rosters/inspectors', label: t('nav.inspectors') },
        { key: '/rosters/experts', label: t('nav.experts') },
        { key: '/rosters/conflicts', label: t('nav.conflicts') },
      ],
    },
    {
      key: 'consequences',
      area: 'consequences',
      icon: <SafetyCertificateOutlined />,
      label: t('nav.consequences'),
      children: [
        { key: '/cases', label: t('nav.cases') },
        { key: '/supervisions', label: t('nav.supervisions') },
        { key: '/blacklist', label: t('nav.blacklist') },
      ],
    },
    { key: '/checklist', area: 'checklist', icon: <CheckSquareOutlined />, label: t('nav.checklist') },
    { key: '/procedures', area: 'procedures', icon: <ProfileOutlined />, label: t('nav.procedures') },
    { key: '/rule-packs', area: 'rulePacks', icon: <ControlOutlined />, label: t('nav.rulePacks') },
    { key: '/publication', area: 'publication', icon: <NotificationOutlined />, label: t('nav.publication') },
    { key: '/jobs', area: 'jobs', icon: <FieldTimeOutlined />, label: t('nav.jobs') },
    { key: '/witnesses', area: 'witnesses', icon: <EyeOutlined />, label: t('nav.witnesses') },
    { key: '/assessment', area: 'assessment', icon: <BarChartOutlined />, label: t('nav.assessment') },
    { key: '/audit', area: 'audit', icon: <AuditOutlined />, label: t('nav.audit') },
    { key: '/accounts', area: 'accounts', icon: <TeamOutlined />, label: t('nav.accounts') },
    { key: '/keys', area: 'keys', icon: <KeyOutlined />, label: t('nav.keys') },
    { key: '/api-tokens', area: 'apiTokens', icon: <ApiOutlined />, label: t('nav.apiTokens') },
  ];
  const items: MenuProps['items'] = entries
    .filter((e) => canOpen(user.roles, e.area))
    .map((e) => ({ key: e.key, icon: e.icon, label: e.label, children: e.children }));

  const path = location.pathname;
  const selected =
    entries
      .flatMap((e) => [e.key, ...(e.children?.map((c) => c.key) ?? [])])
      .filter((k) => k.startsWith('/') && (k === '/' ? path === '/' : path.startsWith(k)))
      .sort((a, b) => b.length - a.length)[0] ?? '/';

  const scope = useMemo(() => ({ bureauCode, setBureauCode, cityWide }), [bureauCode, cityWide]);
  const districtOptions = bureaus.list
    .filter((b) => b.level === 'district')
    .map((b) => ({ value: b.code, label: b.name }));

  return (
    <BureauScopeContext.Provider value={scope}>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Sider width={220} theme="dark" breakpoint="lg" collapsedWidth={0} className="no-print">
          <div style={{ color: '#fff', padding: '18px 16px', lineHeight: 1.3 }}>
            <div style={{ fontSize: 18, fontWeight: 600 }}>{t('app.title')}</div>
            <div style={{ fontSize: 12, opacity: 0.7 }}>{t('app.subtitle')}</div>
          </div>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={[selected]}
            defaultOpenKeys={['rosters']}
            items={items}
            onClick={(e) => navigate(e.key)}
            data-testid="main-menu"
          />
        </Layout.Sider>
        <Layout>
          <Layout.Header
            className="no-print"
            style={{
              background: '#fff',
              padding: '0 20px',
              display: 'flex',
              alignItems: 'center',
              gap: 16,
              borderBottom: '1px solid #f0f0f0',
            }}
          >
            <Typography.Text strong>{bureaus.name(user.bureauCode)}</Typography.Text>
            {cityWide && (
              <Select
                allowClear
                style={{ width: 200 }}
                placeholder={t('common.all')}
                value={bureauCode}
                onChange={(v?: string) => setBureauCode(v)}
                options={districtOptions}
                data-testid="bureau-select"
              />
            )}
            <div style={{ flex: 1 }} />
            <Space size="small">
              {user.roles.map((g) => (
                <Tag key={`${g.role}@${g.bureauCode}`} color="blue">
                  {t(`role.${g.role}`)}
                </Tag>
              ))}
              <Typography.Text data-testid="current-user">{user.displayName}</Typography.Text>
              <Button
                icon={<TranslationOutlined />}
                onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
                data-testid="lang-switch"
              >
                {t('lang.switch')}
              </Button>
              <Button icon={<LogoutOutlined />} onClick={() => logout.mutate()} loading={logout.isPending}>
                {t('header.logout')}
              </Button>
            </Space>
          </Layout.Header>
          <Layout.Content style={{ padding: 20 }}>
            <Suspense fallback={<Loading marginTop={80} />}>
              <Outlet />
            </Suspense>
          </Layout.Content>
        </Layout>
      </Layout>
    </BureauScopeContext.Provider>
  );
}
