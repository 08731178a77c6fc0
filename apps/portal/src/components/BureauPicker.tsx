import { DownOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { lazy, Suspense, useState } from 'react';

// antd's Select (with its virtual list and search) is about a tenth of the home page's JavaScript.
// The header shows the chosen bureau on a button and loads the select when a visitor reaches for
// it (pointer over it, focus, click); it then opens with its search field focused.
const loadSelect = () => import('antd/es/select');
const Select = lazy(loadSelect);

/** A bureau a visitor can choose. */
export interface BureauChoice {
  value: string;
  label: string;
}

/** The header's bureau picker: a button with the chosen bureau until it is first used. */
export function BureauPicker({
  value,
  choices,
  onChange,
}: {
  value: string;
  choices: BureauChoice[];
  onChange: (code: string) => void;
}) {
  const [used, setUsed] = useState(false);
  const placeholder = (loading: boolean) => (
    <Button
      data-testid="bureau-picker"
      loading={loading}
      onPointerEnter={() => void loadSelect()}
      onFocus={() => void loadSelect()}
      onClick={() => setUsed(true)}
      style={{ width: 220, justifyContent: 'space-between' }}
      iconPlacement="end"
      icon={<DownOutlined />}
    >
      <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
        {choices.find((c) => c.value === value)?.label ?? ''}
      </span>
    </Button>
  );
  if (!used) return placeholder(false);
  return (
    <Suspense fallback={placeholder(true)}>
      <Select
        data-testid="bureau-picker"
        value={value}
        onChange={(code) => onChange(String(code))}
        style={{ width: 220 }}
        showSearch
        optionFilterProp="label"
        options={choices}
        defaultOpen
        autoFocus
      />
    </Suspense>
  );
}
