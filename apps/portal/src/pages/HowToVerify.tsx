import { Alert, Card, Steps, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { Page } from '../components/common';
import { useI18n } from '../i18n';
import { HOWTO_CHECKS, HOWTO_OFFLINE, HOWTO_STEPS, type Pair } from './howto-v2';

const { Paragraph, Text } = Typography;

function Command({ testId, children }: { testId: string; children: string }) {
  return (
    <pre
      data-testid={testId}
      style={{
        background: '#0f172a',
        color: '#e2e8f0',
        padding: 16,
        borderRadius: 4,
        whiteSpace: 'pre-wrap',
      }}
    >
      {children}
    </pre>
  );
}

/** 如何验证: sr-draw/v2 in plain words, what each check line means, and the offline checks. */
export default function HowToVerify() {
  const { t, lang } = useI18n();
  const pick = (p: Pair) => (lang === 'zh' ? p[0] : p[1]);
  return (
    <Page title={t('howto.title')}>
      <Card>
        <Steps
          direction="vertical"
          current={-1}
          items={HOWTO_STEPS.map((s) => ({
            title: pick(s.title),
            description: <Paragraph style={{ maxWidth: 900 }}>{pick(s.text)}</Paragraph>,
            status: 'process',
          }))}
          data-testid="howto-steps"
        />
      </Card>
      <Card
        title={lang === 'zh' ? '核验结果的每一行是什么意思' : 'What each line of the verification means'}
        style={{ marginTop: 16 }}
      >
        <Paragraph>
          {lang === 'zh'
            ? '抽取结果页面、离线核验页面和命令行都逐项报告以下核验；任何一项不通过，这次抽取就不可信。'
            : 'The draw pages, the offline verifier and the command line all report these checks one by one; if any fails, the draw cannot be trusted.'}
        </Paragraph>
        <Table
          size="small"
          pagination={false}
          rowKey="id"
          dataSource={HOWTO_CHECKS.map((c) => ({ id: c.id, text: pick(c.text) }))}
          columns={[
            {
              title: lang === 'zh' ? '核验项' : 'Check',
              dataIndex: 'id',
              width: 200,
              render: (id: string) => <Text code>{id}</Text>,
            },
            { title: lang === 'zh' ? '含义' : 'Meaning', dataIndex: 'text' },
          ]}
          data-testid="howto-checks"
        />
      </Card>
      <Card
        title={lang === 'zh' ? '在自己的电脑上核对' : 'Check it on your own computer'}
        style={{ marginTop: 16 }}
      >
        <Paragraph>{pick(HOWTO_OFFLINE.files)}</Paragraph>
        <Paragraph>{pick(HOWTO_OFFLINE.clone)}</Paragraph>
        <Command testId="cli-command">
          {`npm run -s spotcheck -- verify bundle.json --keys registry.json\n# ${
            lang === 'zh' ? '已安装 spotcheck 命令时' : 'with the spotcheck command installed'
          }: spotcheck verify bundle.json --keys registry.json`}
        </Command>
        <Paragraph>{pick(HOWTO_OFFLINE.cliOut)}</Paragraph>
        <Paragraph>{pick(HOWTO_OFFLINE.replacements)}</Paragraph>
        <Command testId="cli-replacements">
          {'npm run -s spotcheck -- verify-replacements bundle.json replacements.json'}
        </Command>
        <Paragraph>{pick(HOWTO_OFFLINE.python)}</Paragraph>
        <Command testId="python-command">{'python3 test/vectors/verify_sr_draw_v2.py bundle.json'}</Command>
        <Paragraph>{pick(HOWTO_OFFLINE.pythonOut)}</Paragraph>
        <Paragraph>
          {lang === 'zh' ? '也可以把下载的文件放进' : 'You can also load the downloaded files into the '}
          <Link to="/verify">{t('nav.verify')}</Link>
          {lang === 'zh'
            ? '页面，在浏览器里完成同样的核验。'
            : ' page and run the same checks in your browser.'}
        </Paragraph>
        <Alert
          type="info"
          showIcon
          message={
            lang === 'zh' ? (
              <span>
                算法名称 <Text code>sr-draw/v2</Text>
                ，规范公开，任何人可用任何编程语言独立实现；较早的抽取使用 <Text code>sr-draw/v1</Text>
                ，同一命令同样可以核对。
              </span>
            ) : (
              <span>
                The algorithm is <Text code>sr-draw/v2</Text>; its specification is public and anyone can
                implement it in any language. Earlier draws use <Text code>sr-draw/v1</Text>, which the same
                command also checks.
              </span>
            )
          }
        />
      </Card>
    </Page>
  );
}
