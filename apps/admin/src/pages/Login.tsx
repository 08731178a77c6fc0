import { LockOutlined, TranslationOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useI18n } from '../i18n';
import { errorMessage } from '../lib/errors';
import { useMe } from '../session';
import { useTRPC } from '../trpc';

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
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: async () => {
        qc.clear();
        await qc.invalidateQueries(trpc.auth.me.queryFilter());
        navigate(from === '/login' ? '/' : from, { replace: true });
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
      <Card style={{ width: 380 }} data-testid="login-card">
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'start' }}>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('app.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
          </div>
          <Button
            size="small"
            icon={<TranslationOutlined />}
            onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
          >
            {t('lang.switch')}
          </Button>
        </div>
        <Typography.Title level={5} style={{ marginTop: 24 }}>
          {t('login.title')}
        </Typography.Title>
        {login.error && (
          <Alert
            type="error"
            showIcon
            title={t('login.failed')}
            description={errorMessage(login.error)}
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<LoginForm> layout="vertical" onFinish={(v) => login.mutate(v)} requiredMark={false}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            {t('login.submit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12 }}>
          {t('login.hint')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
