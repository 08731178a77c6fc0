import { DeleteOutlined, DownloadOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, List, Space, Spin, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { errorMessage } from '../lib/errors';
import { evidenceUrl, fmtBytes, uploadEvidence, type Evidence } from '../lib/evidence';

/**
 * A finding's evidence files as a form control: each chosen file is uploaded at once through
 * `POST /upload/evidence`, and the server's `{sha256, size, mime, name}` joins the value.
 */
export function EvidenceInput({
  value,
  onChange,
  testId,
}: {
  value?: Evidence[];
  onChange?: (v: Evidence[]) => void;
  testId?: string;
}) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const input = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState<string[]>([]);
  const files = value ?? [];
  // Uploads finish in any order: read the latest value when each one lands.
  const latest = useRef(files);
  latest.current = files;

  const onFiles = async (chosen: File[]) => {
    setPending((p) => [...p, ...chosen.map((f) => f.name)]);
    for (const file of chosen) {
      try {
        const stored = await uploadEvidence(file);
        const next = [...latest.current.filter((e) => e.sha256 !== stored.sha256), stored];
        latest.current = next;
        onChange?.(next);
      } catch (err) {
        message.error(t('evidence.failed', { name: file.name, msg: errorMessage(err, lang) }));
      } finally {
        setPending((p) => {
          const i = p.indexOf(file.name);
          return i < 0 ? p : [...p.slice(0, i), ...p.slice(i + 1)];
        });
      }
    }
  };

  return (
    <div data-testid={testId}>
      <input
        ref={input}
        type="file"
        multiple
        style={{ display: 'none' }}
        accept="image/*,application/pdf,.pdf,.txt,.doc,.docx,.xls,.xlsx,audio/*,video/*"
        data-testid="evidence-input"
        onChange={(e) => {
          const chosen = [...(e.target.files ?? [])];
          e.target.value = '';
          if (chosen.length) void onFiles(chosen);
        }}
      />
      <Space direction="vertical" style={{ width: '100%' }} size={4}>
        <Space>
          <Button icon={<UploadOutlined />} onClick={() => input.current?.click()}>
            {t('evidence.upload')}
          </Button>
          {pending.length > 0 && (
            <Space size={6} data-testid="evidence-uploading">
              <Spin size="small" />
              <Typography.Text type="secondary">
                {t('evidence.uploading', { name: pending.join('、') })}
              </Typography.Text>
            </Space>
          )}
        </Space>
        {files.length > 0 && (
          <List
            size="small"
            bordered
            data-testid="evidence-pending-list"
            dataSource={files}
            renderItem={(e) => (
              <List.Item
                actions={[
                  <DeleteOutlined
                    key="rm"
                    aria-label="remove"
                    onClick={() => onChange?.(files.filter((x) => x.sha256 !== e.sha256))}
                  />,
                ]}
              >
                <Space>
                  <PaperClipOutlined />
                  <span>{e.name}</span>
                  <Typography.Text type="secondary">
                    {fmtBytes(e.size)} · {e.mime}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        )}
      </Space>
    </div>
  );
}

/** The evidence files of a recorded finding, with size and a download link each. */
export function EvidenceList({ resultId, files }: { resultId: string; files: Evidence[] }) {
  const { t } = useI18n();
  if (!files.length) return <Typography.Text type="secondary">{t('evidence.none')}</Typography.Text>;
  return (
    <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="evidence-list">
      {files.map((e) => (
        <li key={e.sha256} style={{ whiteSpace: 'nowrap' }}>
          <a
            href={evidenceUrl(resultId, e.sha256)}
            download={e.name}
            data-testid="evidence-download"
            title={`${t('evidence.download')} · SHA-256 ${e.sha256}`}
          >
            <DownloadOutlined /> {e.name}
          </a>{' '}
          <Typography.Text type="secondary">({fmtBytes(e.size)})</Typography.Text>
        </li>
      ))}
    </ul>
  );
}
