import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, Space, Upload } from 'antd';
import { useMemo, useState } from 'react';
import { Page } from '../components/common';
import { Verifier } from '../components/Verifier';
import { useI18n } from '../i18n';
import { parseVerifierInput, type LogTrust, type ParsedVerifierInput } from '../lib/verify';
import { isV2Bundle } from '../lib/v2';
import { ChecksCard } from '../components/v2/ChecksCard';

/** Paste or upload a bundle JSON and verify it on this device (no server call). */
export default function OfflineVerify() {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [parsed, setParsed] = useState<ParsedVerifierInput | null>(null);
  // The witnesses and registry proof that came beside the bundle (the portal's download): with
  // them the commitment and registry times are proven from the log, still without a server call.
  const log = useMemo<LogTrust | undefined>(() => {
    if (!parsed?.ok || !Array.isArray(parsed.witnesses)) return undefined;
    const witnesses = (parsed.witnesses as unknown[]).flatMap((w) => {
      const x = w as { name?: unknown; publicKey?: unknown; label?: unknown } | null;
      return x && typeof x.name === 'string' && typeof x.publicKey === 'string'
        ? [
            {
              name: x.name,
              publicKey: x.publicKey,
              ...(typeof x.label === 'string' ? { label: x.label } : {}),
            },
          ]
        : [];
    });
    return {
      witnesses,
      registryInclusion: parsed.registryInclusion,
      registryHistory: parsed.registryHistory,
      // §9.7 from the package: the sign-off's record and the bureau's newest registry.
      ...(parsed.signOffInclusion !== undefined ? { signOff: { inclusion: parsed.signOffInclusion } } : {}),
      ...(parsed.currentRegistry !== undefined
        ? {
            currentRegistry: {
              registry: parsed.currentRegistry,
              inclusion: parsed.currentRegistryInclusion,
              history: parsed.currentRegistryHistory,
            },
          }
        : {}),
    };
  }, [parsed]);
  return (
    <Page title={t('offline.title')} intro={t('offline.intro')}>
      <Card>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input.TextArea
            data-testid="offline-input"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('offline.placeholder')}
            autoSize={{ minRows: 8, maxRows: 20 }}
            style={{ fontFamily: 'monospace', fontSize: 12 }}
          />
          <Space>
            <Button
              type="primary"
              data-testid="offline-verify"
              disabled={!text.trim()}
              onClick={() => setParsed(parseVerifierInput(text))}
            >
              {t('offline.verify')}
            </Button>
            <Upload
              accept=".json,application/json"
              showUploadList={false}
              beforeUpload={(file) => {
                void file.text().then((s) => {
                  setText(s);
                  setParsed(parseVerifierInput(s));
                });
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} data-testid="offline-upload">
                {t('offline.upload')}
              </Button>
            </Upload>
          </Space>
        </Space>
      </Card>
      <div style={{ marginTop: 16 }}>
        {parsed && !parsed.ok && (
          <Alert
            type="error"
            showIcon
            data-testid="offline-error"
            message={t('offline.parseError', { reason: parsed.reason })}
          />
        )}
        {parsed?.ok &&
          (isV2Bundle(parsed.bundle) ? (
            <ChecksCard
              bundle={parsed.bundle}
              registry={parsed.registry}
              registryState={parsed.registry === undefined ? 'none' : 'ok'}
              registrySource="given"
              log={log}
              bureauCode={
                (parsed.bundle as { commitment?: { plan?: { bureau?: string } } }).commitment?.plan?.bureau ??
                ''
              }
            />
          ) : (
            <Verifier bundle={parsed.bundle} signOff={parsed.signOff} />
          ))}
      </div>
    </Page>
  );
}
