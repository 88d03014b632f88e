import { createHash } from "node:crypto";
import { SIGN_IN_PATH, TOKEN_STORAGE_KEY } from "../sign-in";

/**
 * The local dashboard page: one self-contained HTML document (inline CSS, inline SVG charts drawn by a
 * small script, no external resources) that reads `/dashboard/data.json` every few seconds with the staff
 * token the local sign-in left in sessionStorage (sending the browser there first when it has none). The
 * page itself holds no figures: they are a manager's to read.
 */

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans CJK SC",sans-serif;background:#f3f5f9;color:#1d2433}
header{display:flex;align-items:baseline;gap:16px;padding:14px 24px;background:#14213d;color:#fff}
header h1{margin:0;font-size:19px;font-weight:600}
header .meta{opacity:.75;font-size:12.5px}
header button{margin-left:auto;font:inherit;font-size:12.5px;color:#fff;background:transparent;border:1px solid rgba(255,255,255,.6);border-radius:5px;padding:3px 10px;cursor:pointer}
main{display:grid;grid-template-columns:repeat(24,1fr);gap:14px;padding:18px 24px}
section{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(20,33,61,.12);padding:12px 14px;min-width:0}
section h2{margin:0 0 8px;font-size:13.5px;font-weight:600;color:#33415c}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:10px}
.tile{border-radius:8px;padding:10px 12px;background:#f7f9fc;border-left:4px solid var(--c)}
.tile .value{font-size:30px;font-weight:700;color:#14213d;font-variant-numeric:tabular-nums}
.tile .label{font-size:12px;color:#5c677d}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:#33415c;margin-top:4px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px;background:var(--c)}
.legend b{font-variant-numeric:tabular-nums}
.note{font-size:12px;color:#5c677d;margin-top:6px}
svg text{font-size:11px;fill:#5c677d}
.empty{color:#5c677d;font-size:12.5px;padding:18px 0;text-align:center}
`;

const SCRIPT = `
const COLORS=["#2563eb","#f97316","#16a34a","#dc2626","#9333ea","#0891b2","#ca8a04","#db2777","#4b5563","#65a30d"];
const fmt=(v,unit)=>v===null||v===undefined?"–":(Math.abs(v)>=100||Number.isInteger(v)?Math.round(v).toLocaleString("en"):v.toFixed(1))+(unit==="%"?" %":"");
const esc=(s)=>String(s).replace(/[&<>"]/g,(c)=>({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"})[c]);
function tiles(w){return '<div class="tiles">'+w.series.map((s,i)=>'<div class="tile" data-series="'+esc(s.id)+'" style="--c:'+COLORS[i%COLORS.length]+'"><div class="value">'+fmt(s.total,s.label.endsWith("%")?"%":"")+'</div><div class="label">'+esc(s.label)+'</div></div>').join("")+'</div>';}
function legend(w,series){return '<div class="legend">'+series.map((s)=>'<span data-series="'+esc(s.id)+'" style="--c:'+s.color+'"><i></i>'+esc(s.label)+': <b class="value">'+fmt(s.total,w.unit)+'</b></span>').join("")+'</div>';}
// Axis steps of 1, 2, 2.5 or 5 times a power of ten; counts never step by less than one.
function nice(raw){const p=Math.pow(10,Math.floor(Math.log10(raw||1)));for(const m of [1,2,2.5,5,10]){if(m*p>=raw)return Math.max(m*p,raw<1?m*p:1);}return 10*p;}
function line(w,d){
  const series=w.series.map((s,i)=>({...s,color:COLORS[i%COLORS.length]}));
  const local=series.filter((s)=>!s.cloudWatchOnly), aws=series.filter((s)=>s.cloudWatchOnly);
  const W=560,H=170,L=36,B=20,T=8,R=8;const n=d.buckets.length;
  let svg="";
  const vals=local.flatMap((s)=>s.points.filter((v)=>v!==null));
  if(n===0||vals.length===0){svg='<div class="empty">No data yet</div>';}
  else{
    const top=w.unit==="%"?Math.max(100,...vals):Math.max(1,...vals);
    const min=Math.min(0,...vals), step=nice((top-min)/4), max=min+Math.ceil((top-min)/step)*step;
    const x=(i)=>L+(n<=1?0:(i*(W-L-R))/(n-1)), y=(v)=>T+(H-T-B)*(1-(v-min)/(max-min||1));
    let g="";for(let v=min;v<=max+step/2;v+=step){g+='<line x1="'+L+'" x2="'+(W-R)+'" y1="'+y(v)+'" y2="'+y(v)+'" stroke="#e5e9f0"/><text x="'+(L-6)+'" y="'+(y(v)+4)+'" text-anchor="end">'+fmt(v)+'</text>';}
    const t0=new Date(d.buckets[0]),t1=new Date(d.buckets[n-1]);
    const lab=(t)=>t.toISOString().slice(5,16).replace("T"," ");
    g+='<text x="'+L+'" y="'+(H-4)+'">'+lab(t0)+'</text><text x="'+(W-R)+'" y="'+(H-4)+'" text-anchor="end">'+lab(t1)+' UTC</text>';
    for(const s of local){
      const pts=s.points.map((v,i)=>v===null?null:[x(i),y(v)]).filter(Boolean);
      if(pts.length===0)continue;
      g+='<polyline fill="none" stroke="'+s.color+'" stroke-width="2.2" stroke-linejoin="round" points="'+pts.map((p)=>p.join(",")).join(" ")+'"/>';
      g+=pts.map((p)=>'<circle cx="'+p[0]+'" cy="'+p[1]+'" r="2.6" fill="'+s.color+'"/>').join("");
    }
    svg='<svg viewBox="0 0 '+W+' '+H+'" width="100%" role="img" aria-label="'+esc(w.title)+'">'+g+'</svg>';
  }
  return svg+legend(w,local)+(aws.length?'<div class="note">'+aws.map((s)=>esc(s.label)).join(", ")+': measured by CloudWatch on AWS only</div>':'');
}
function bar(w){
  const series=w.series.map((s,i)=>({...s,color:COLORS[i%COLORS.length]})).filter((s)=>s.total!==null);
  if(series.length===0)return '<div class="empty">No data yet</div>';
  const max=Math.max(1,...series.map((s)=>s.total));const W=560,row=22,L=170,H=series.length*row+6;
  let g="";series.forEach((s,i)=>{const y=i*row+4,wd=((W-L-60)*s.total)/max;
    g+='<text x="'+(L-8)+'" y="'+(y+14)+'" text-anchor="end">'+esc(s.label)+'</text><rect x="'+L+'" y="'+y+'" width="'+Math.max(2,wd)+'" height="'+(row-7)+'" rx="3" fill="'+s.color+'"/><text class="value" data-series="'+esc(s.id)+'" x="'+(L+Math.max(2,wd)+6)+'" y="'+(y+14)+'">'+fmt(s.total)+'</text>';});
  return '<svg viewBox="0 0 '+W+' '+H+'" width="100%" role="img" aria-label="'+esc(w.title)+'">'+g+'</svg><div class="note">'+esc(w.unit)+' over the whole range</div>';
}
function deadLetters(l){return '<section data-panel="deadLetters" style="grid-column:span 24"><h2>Stream dead letters ('+l.length+')</h2>'+(l.length?'<table><thead><tr><th scope="col">At</th><th scope="col">Consumer</th><th scope="col">Shard</th><th scope="col">Sequence numbers</th><th scope="col">Records</th><th scope="col">Attempts</th><th scope="col">Error</th></tr></thead><tbody>'+l.map((x)=>'<tr><td>'+esc(x.at)+'</td><td>'+esc(x.consumer)+'</td><td>'+esc(x.shardId)+'</td><td>'+esc(x.firstSequenceNumber)+' – '+esc(x.lastSequenceNumber)+'</td><td>'+esc(String(x.records))+'</td><td>'+esc(String(x.attempts))+'</td><td>'+esc(x.error)+'</td></tr>').join("")+'</tbody></table>':'<p>None: every change was delivered.</p>')+'</section>';}
function render(d){
  document.getElementById("meta").textContent=d.emfLines+" EMF lines read · "+(d.from?new Date(d.from).toISOString().slice(0,16).replace("T"," ")+" → "+new Date(d.to).toISOString().slice(0,16).replace("T"," ")+" UTC (event time)":"waiting for metrics")+" · updated "+new Date().toLocaleTimeString("en-GB");
  document.getElementById("grid").innerHTML=d.widgets.map((w)=>'<section data-widget="'+esc(w.id)+'" style="grid-column:span '+w.width+'"><h2>'+esc(w.title)+'</h2>'+(w.view==="tiles"?tiles(w):w.view==="bar"?bar(w):line(w,d))+'</section>').join("")+deadLetters(d.deadLetters||[]);
  document.body.dataset.emfLines=String(d.emfLines);
}
const CONFIG=JSON.parse(document.getElementById("config").textContent);
let timer;
function signIn(){location.assign(CONFIG.signIn+"?next="+encodeURIComponent(location.pathname));}
function notice(text){clearInterval(timer);document.getElementById("grid").innerHTML='<section style="grid-column:span 24" role="alert"><h2>'+esc(text)+'</h2><p><a href="'+CONFIG.signIn+'?next=/dashboard">Sign in as a manager</a></p></section>';}
async function refresh(){
  const token=sessionStorage.getItem(CONFIG.tokenKey);
  if(!token)return signIn();
  try{
    const r=await fetch("/dashboard/data.json",{cache:"no-store",headers:{Authorization:"Bearer "+token}});
    if(r.status===401){sessionStorage.removeItem(CONFIG.tokenKey);return signIn();}
    if(r.status===403)return notice("The dashboard is for managers: sign in as one to see it");
    if(r.ok)render(await r.json());
  }catch(e){}
}
document.getElementById("sign-out").addEventListener("click",()=>{sessionStorage.removeItem(CONFIG.tokenKey);signIn();});
refresh();
timer=setInterval(refresh,CONFIG.refreshMs);
`;

/** The Content-Security-Policy of the page: its one script by hash, data only from this origin. */
export const DASHBOARD_CSP = `default-src 'none'; script-src 'sha256-${createHash("sha256").update(SCRIPT).digest("base64")}'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; frame-ancestors 'none'; base-uri 'none'`;

/** The dashboard page (no figures in it; it reads them itself every `refreshMs`). */
export const dashboardPage = (refreshMs: number): string => {
  const config = JSON.stringify({
    refreshMs: Math.max(500, Math.round(refreshMs)),
    signIn: SIGN_IN_PATH,
    tokenKey: TOKEN_STORAGE_KEY,
  }).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Complaint handling — local dashboard</title><link rel="icon" href="data:,"><style>${CSS}</style></head>
<body><header><h1>Complaint handling</h1><span class="meta" id="meta">signing in…</span><button type="button" id="sign-out">Sign out</button></header>
<main id="grid"></main>
<script type="application/json" id="config">${config}</script>
<script>${SCRIPT}</script>
</body></html>`;
};
