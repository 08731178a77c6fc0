import { LockOutlined, TranslationOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, theme } from 'antd';
// Input and its password field from their own modules: antd's Input bundles TextArea, Search and OTP.
import Input from 'antd/es/input/Input';
import Password from 'antd/es/input/Password';
import { lazy, Suspense } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { Heading, Secondary } from '@spotcheck/ui/plain';
import { useI18n } from '../i18n';
import { useMe } from '../session';
import { useTRPC } from '@spotcheck/ui/trpc';

// The refusal catalogue loads with the first refusal, not with the page (first-load budget).
const RefusalText = lazy(() => import('../components/RefusalText'));

interface LoginForm {
  username: string;
  password: string;
}

/** Sign-in with a local account; on success the session cookie is set by the server. */
export default function LoginPage() {
  const { t, lang, setLang } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const me = useMe();
  const { token } = theme.useToken();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: async () => {
        qc.clear();
        await qc.invalidateQueries(trpc.auth.me.queryFilter());
        void navigate(from === '/login' ? '/' : from, { replace: true });
      },
    }),
  );
  if (me.data) return <Navigate to="/" replace />;
  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(135deg,#0f2a5f,#1d4ed8)',
      }}
    >
      {/* A plain panel rather than antd's Card, whose tabs and skeleton would double the first load. */}
      <div
        data-testid="login-card"
        style={{
          width: 380,
          padding: token.paddingLG,
          fontFamily: token.fontFamily,
          color: token.colorText,
          background: token.colorBgContainer,
          borderRadius: token.borderRadiusLG,
          boxShadow: token.boxShadowTertiary,
        }}
      >
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'start' }}>
          <div>
            <Heading level={3} style={{ margin: 0 }}>
              {t('app.title')}
            </Heading>
            <Secondary>{t('app.subtitle')}</Secondary>
          </div>
          <Button
            size="small"
            icon={<TranslationOutlined />}
            onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
            lang={lang === 'zh' ? 'en' : 'zh-CN'}
          >
            {t('lang.switch')}
          </Button>
        </div>
        <Heading level={5} style={{ marginTop: 24 }}>
          {t('login.title')}
        </Heading>
        {login.error && (
          <Alert
            type="error"
            showIcon
            title={t('login.failed')}
            description={
              <Suspense fallback={null}>
                <RefusalText error={login.error} lang={lang} />
              </Suspense>
            }
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<LoginForm> layout="vertical" onFinish={(v) => login.mutate(v)} requiredMark={false}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true }]}>
            <Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            {t('login.submit')}
          </Button>
        </Form>
        <Secondary as="p" style={{ marginTop: 16, fontSize: 12 }}>
          {t('login.hint')}
        </Secondary>
      </div>
    </div>
  );
}
