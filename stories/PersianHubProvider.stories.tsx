import { PersianHubProvider, usePersianHubSelector, type PersianHubState } from '@persian-hub/react';
import { Card, Code, Flex, Text } from '@radix-ui/themes';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useMemo } from 'react';
import { createFakePersianHubClient } from './fakePersianHubClient.js';
import { catalog } from './fixtures.js';

const selectSummary = (s: PersianHubState) => `${s.connection}|${s.jobOrder.length}|${s.catalog?.length ?? 0}|${s.modelsStatus}`;

function StoreSummary() {
  const [connection, jobs, entries, status] = usePersianHubSelector(selectSummary).split('|');
  return (
    <Card>
      <Flex direction="column" gap="1">
        <Text size="2">
          connection: <Code highContrast>{connection}</Code>
        </Text>
        <Text size="2">
          jobs: <Code highContrast>{jobs}</Code>, catalog entries: <Code highContrast>{entries}</Code> (<Code highContrast>{status}</Code>)
        </Text>
      </Flex>
    </Card>
  );
}

/** The provider over a fake in-browser client (nothing is fetched), with a component reading the store. */
function ProviderDemo() {
  const client = useMemo(() => createFakePersianHubClient(catalog), []);
  return (
    <PersianHubProvider client={client}>
      <StoreSummary />
    </PersianHubProvider>
  );
}

const meta = {
  title: 'Data/PersianHubProvider',
  component: PersianHubProvider,
  parameters: {
    docs: {
      description: {
        component: `Makes the store once and keeps live updates open while mounted (one event stream, however many hooks read it; StrictMode's remount keeps it).

\`\`\`tsx
<PersianHubProvider baseUrl="/api/sources">
  <ModelHub />
</PersianHubProvider>
\`\`\`

Props: the client options (\`baseUrl\`, \`fetch\`, \`EventSource\`, \`pollIntervalMs\`, \`maxStreamFailures\`, \`streamRetryMs\`, \`streamRetryMaxMs\`), \`refreshRetryMs\` / \`refreshRetryMaxMs\` (the backoff of a failed catalog refresh: the list stays on screen meanwhile), \`store\` (share one made outside React), \`client\` (a custom transport), \`autoConnect\` (default true). Hooks below it: \`useDownloads\`, \`useAvailableModels\`, \`useCatalog\`, \`useModel\`, \`useJob\`, \`usePersianHubNotifications\`, \`usePersianHubSelector\`.`,
      },
    },
  },
  render: () => <ProviderDemo />,
} satisfies Meta<typeof PersianHubProvider>;

export default meta;
type Story = StoryObj<typeof meta>;

export const WithFakeClient: Story = {};
