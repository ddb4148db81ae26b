import { formatPercent, useDownloads, useLocale, PersianHubProvider } from '@persian-hub/react';
import { Button, Card, Code, Flex, Text } from '@radix-ui/themes';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useMemo } from 'react';
import { createFakePersianHubClient } from './fakePersianHubClient.js';
import { catalog } from './fixtures.js';

/** A bare list built on `useDownloads`: every job, live, with its actions. */
function JobList() {
  const locale = useLocale();
  const { jobs, start, pause, resume, pending, connection } = useDownloads();
  return (
    <Flex direction="column" gap="2">
      <Text size="2">
        connection: <Code highContrast>{connection}</Code>
      </Text>
      <Flex gap="2" wrap="wrap">
        {catalog.slice(0, 3).map((m) => (
          <Button key={m.id} type="button" variant="soft" highContrast onClick={() => void start(m.id).catch(() => undefined)} loading={pending[m.id] === 'start'}>
            {`start ${m.id}`}
          </Button>
        ))}
      </Flex>
      {jobs.map((job) => (
        <Card key={job.id}>
          <Flex gap="3" align="center" wrap="wrap">
            <Code highContrast>{job.catalogId ?? job.repoId}</Code>
            <Text size="2">{job.status}</Text>
            <Text size="2">{formatPercent(job.progress, locale)}</Text>
            {job.status === 'downloading' && (
              <Button type="button" size="1" variant="soft" highContrast onClick={() => void pause(job.id)}>
                pause
              </Button>
            )}
            {job.status === 'paused' && (
              <Button type="button" size="1" variant="soft" highContrast onClick={() => void resume(job.id)}>
                resume
              </Button>
            )}
          </Flex>
        </Card>
      ))}
    </Flex>
  );
}

function HookDemo() {
  const client = useMemo(() => createFakePersianHubClient(catalog), []);
  return (
    <PersianHubProvider client={client}>
      <JobList />
    </PersianHubProvider>
  );
}

const meta = {
  title: 'Data/useDownloads',
  component: HookDemo,
  parameters: {
    docs: {
      description: {
        component: `\`const { jobs, start, pause, resume, cancel, remove, importBundle, pending, connection } = useDownloads()\`

Every job, newest first, live over the event stream (or polling), with the actions on them. \`pending\` maps ids to the action in flight (for loading buttons); \`connection\` is \`connecting | open | polling | closed\`. Re-renders whenever any job changes: for a list of many cards read one entry each with \`useModel(id)\` (what \`ModelHub\` does), and counts with \`usePersianHubSelector(selectActiveJobCount)\`. Needs a \`PersianHubProvider\` above it.`,
      },
    },
  },
} satisfies Meta<typeof HookDemo>;

export default meta;
type Story = StoryObj<typeof meta>;

export const WithFakeClient: Story = {};
