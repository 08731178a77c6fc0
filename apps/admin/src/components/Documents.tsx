import { UploadOutlined } from '@ant-design/icons';
import { Button, Tag, Upload } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n';
import { fmtBytes, uploadEvidence, type Evidence } from '../lib/evidence';
import { errorMessage } from '../lib/errors';

/**
 * Documents of a step (立案审批表, 整改报告, 告知书…): files uploaded as evidence first, then
 * named by SHA-256 in the step. A form control (`value` / `onChange`) for antd's Form.Item.
 */
export function DocumentsInput({
  value,
  onChange,
  testId,
}: {
  value?: Evidence[];
  onChange?: (v: Evidence[]) => void;
  testId?: string;
}) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const files = value ?? [];
  return (
    <div>
      <Upload
        multiple
        showUploadList={false}
        customRequest={({ file, onSuccess, onError }) => {
          uploadEvidence(file as File)
            .then((e) => {
              setError(null);
              onChange?.([...(value ?? []), e]);
              onSuccess?.(e);
            })
            .catch((err: Error) => {
              setError(errorMessage(err, lang));
              onError?.(err);
            });
        }}
      >
        <Button icon={<UploadOutlined />} data-testid={testId}>
          {t('cq.upload')}
        </Button>
      </Upload>
      <div style={{ marginTop: 8 }}>
        {files.map((f) => (
          <Tag
            key={f.sha256}
            closable
            onClose={() => onChange?.(files.filter((x) => x.sha256 !== f.sha256))}
            data-testid="document-tag"
          >
            {f.name}（{fmtBytes(f.size)}）
          </Tag>
        ))}
        {error && <Tag color="red">{error}</Tag>}
      </div>
    </div>
  );
}
