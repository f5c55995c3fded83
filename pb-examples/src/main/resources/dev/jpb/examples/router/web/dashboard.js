// The dashboard: figures from every agent on 'clientstats', live; configuration changes go
// through the router's HTTP bridge to 'clientconfig.<ip>'.
'use strict';
const agents = new Map(); // ip -> last stats

function bar(percent) {
  const cls = percent > 80 ? 'bar high' : 'bar';
  return `<span class="${cls}" style="width:${Math.round(percent)}px"></span>${percent}%`;
}

function render() {
  const body = document.querySelector('#agents tbody');
  const rows = [];
  for (const s of [...agents.values()].sort((a, b) => a.ip.localeCompare(b.ip))) {
    rows.push(`<tr data-ip="${s.ip}"><td>${s.name}</td><td>${s.ip}</td>`
      + `<td class="cpu">${bar(s.cpu)}</td><td class="memory">${bar(s.memory)}</td>`
      + `<td class="disk">${bar(s.disk)}</td><td class="interval">${s.interval} s</td>`
      + `<td>${new Date(s.time).toLocaleTimeString()}</td></tr>`);
  }
  body.innerHTML = rows.join('');
  const select = document.getElementById('config-ip');
  const chosen = select.value;
  select.innerHTML = [...agents.keys()].map((ip) => `<option>${ip}</option>`).join('');
  if (agents.has(chosen)) {
    select.value = chosen;
  }
}

async function start() {
  const status = document.getElementById('status');
  try {
    const session = await JpbWamp.connect(`ws://${location.host}/ws`, 'realm1');
    status.textContent = `live (session ${session.id})`;
    status.className = 'live';
    session.onclose = () => { status.textContent = 'disconnected'; status.className = ''; };
    await session.subscribe('clientstats', (args) => {
      const s = args[0];
      agents.set(s.ip, s);
      render();
    });
  } catch (e) {
    status.textContent = `cannot connect: ${e.message}`;
  }
}

document.getElementById('config').addEventListener('submit', async (e) => {
  e.preventDefault();
  const ip = document.getElementById('config-ip').value;
  const interval = Number(document.getElementById('config-interval').value);
  const result = document.getElementById('config-result');
  const response = await fetch('/publish', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ topic: `clientconfig.${ip}`, args: [{ interval }] }),
  });
  result.textContent = response.ok ? `sent to ${ip}` : `refused: ${await response.text()}`;
});

start();
