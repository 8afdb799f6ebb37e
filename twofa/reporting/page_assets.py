"""The living doc's inline style and script (no library, no network)."""

_CSS = """
:root{--ok:#1a7f37;--ko:#cf222e;--skip:#9a6700;--undef:#0969da;--none:#6e7781;--bg:#fff;--line:#d0d7de}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{padding:1.2rem 2rem .4rem;background:var(--bg);border-bottom:1px solid var(--line)}
h1{margin:0;font-size:1.7rem}.sub{margin:.2rem 0;color:#57606a}
nav#filters{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;gap:.8rem;align-items:center;padding:.6rem 2rem;background:#eef1f4;border-bottom:1px solid var(--line)}
nav select,nav input{font:inherit;padding:.15rem .3rem;max-width:22rem}
main,.page{max-width:70rem;margin:0 auto;padding:1rem 2rem 4rem}.page{padding-bottom:1rem}
.feature,#requirements,#gate,#contents{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:1rem 1.4rem;margin:1.2rem 0}
.feature h2{margin:.2rem 0}.uri{margin:0;color:#6e7781;font-size:.85rem}
.kw{font-weight:600;color:#0550ae}
.desc{margin:.3rem 0;white-space:pre-wrap}
.background{border-left:4px solid #afb8c1;padding-left:1rem;margin:1rem 0}
.rule{border-left:4px solid #8250df;padding-left:1rem;margin:1rem 0}
.scenario{border-top:1px solid var(--line);padding:.6rem 0}
.scenario h3{margin:.2rem 0;font-size:1.1rem}
.steps{margin:.3rem 0 .3rem 0;padding-left:1.4rem}.steps li{margin:.1rem 0}
.docstring{background:#f6f8fa;border:1px solid var(--line);padding:.4rem;margin:.2rem 0;white-space:pre-wrap}
table{border-collapse:collapse}td,th{border:1px solid var(--line);padding:.2rem .5rem;text-align:left;vertical-align:top}
.datatable{margin:.3rem 0}
.tags{margin:.2rem 0}.tag{display:inline-block;font-size:.8rem;color:#57606a;background:#eaeef2;border-radius:10px;padding:0 .5rem;margin-right:.2rem;text-decoration:none}
.tag.req{background:#ddf4ff;color:#0550ae}
.chip{display:inline-block;font-size:.8rem;border-radius:10px;padding:0 .5rem;margin:.1rem .1rem;color:#fff;background:var(--none);white-space:nowrap}
.chip.s-not-applicable{background:#afb8c1}.chip.s-passed{background:var(--ok)}.chip.s-failed{background:var(--ko)}.chip.s-skipped{background:var(--skip)}.chip.s-undefined{background:var(--undef)}
.results{margin:.2rem 0}
details.evidence-block{margin:.4rem 0;background:#f6f8fa;border-radius:6px;padding:.3rem .6rem}
details summary{cursor:pointer;color:#57606a}
.evidence{border-left:3px solid var(--line);margin:.6rem 0;padding-left:.8rem}
.evidence.s-failed{border-color:var(--ko)}.evidence.s-passed{border-color:var(--ok)}
.evidence h5{margin:.2rem 0;font-size:.9rem}
.steps.run{list-style:none;padding-left:0}
.dur{color:#6e7781;font-size:.8rem}
pre.error{background:#ffebe9;border:1px solid #ff818266;padding:.4rem;white-space:pre-wrap;font-size:.8rem;margin:.2rem 0 .4rem}
.reason{color:var(--skip)}
.shots{display:flex;flex-wrap:wrap;gap:.6rem;margin:.3rem 0 .5rem 1.5rem}
figure{margin:0}figure img{max-width:28rem;max-height:22rem;border:1px solid var(--line);border-radius:4px}
figcaption{font-size:.8rem;color:#57606a}
.reqs .rid{font-weight:600;white-space:nowrap}.proofs{margin:0;padding-left:1rem}
.kind{font-size:.8rem;background:#eaeef2;border-radius:4px;padding:0 .4rem}.kind.k-assumption{background:#fff8c5}
.peer{font-size:.85rem;color:#57606a}.why{font-size:.8rem;margin:.2rem 0;color:#57606a}.broke{font-size:.8rem;color:var(--ko)}
.counts td.n{text-align:right}
.hidden{display:none !important}
#verdict{background:var(--bg);border:2px solid var(--line);border-radius:8px;padding:1rem 1.4rem;margin:1.2rem 0}
#verdict.fail{border-color:var(--ko)}#verdict.pass{border-color:var(--ok)}
#verdict h2{margin:.2rem 0;font-size:1.35rem}#verdict h2 .chip{font-size:1.1rem;vertical-align:middle}
.identity{margin:.3rem 0;font-family:ui-monospace,monospace;font-size:.85rem}.tools,.muted{color:#57606a;font-size:.85rem}
.numbers{display:flex;flex-wrap:wrap;gap:1.2rem;align-items:flex-start}
.defects{padding-left:1.4rem}.defect{margin:.6rem 0;border-left:3px solid var(--ko);padding-left:.7rem}.defect p{margin:.15rem 0}
.lbl{display:inline-block;min-width:4.5rem;font-weight:600;color:#57606a}.on{color:var(--ko);font-size:.85rem}
.saw ul{display:inline-block;margin:0;padding-left:1rem;vertical-align:top}.rerun code{font-size:.8rem}
.empty{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:.6rem 1rem}
figure.shot img{cursor:zoom-in}
#lightbox{position:fixed;inset:0;z-index:10;background:rgba(0,0,0,.8);display:flex;flex-direction:column;align-items:center;justify-content:center;cursor:zoom-out}
#lightbox img{max-width:95vw;max-height:88vh;background:#fff}#lightbox p{color:#fff;font-size:.85rem}
.links{margin:.3rem 0 .5rem 1.5rem;font-size:.85rem}
@media print{nav#filters{display:none}details{display:block}}
"""

# Vanilla JS: hide what does not match the chosen tag, requirement, status
# and text. No library, no network.
# Vanilla JS: hide what does not match the chosen tag, requirement, status
# and text; enlarge a screenshot on click.
_JS = """
(function(){
  var tag=document.getElementById('f-tag'), req=document.getElementById('f-req'),
      st=document.getElementById('f-status'), txt=document.getElementById('f-text'),
      count=document.getElementById('f-count');
  function words(el,attr){return (el.getAttribute(attr)||'').split(' ').filter(Boolean);}
  function has(list,v){return !v||list.indexOf(v)>=0;}
  function apply(){
    var t=tag.value, r=req.value, s=st.value, q=txt.value.trim().toLowerCase(), shown=0, total=0;
    document.querySelectorAll('.scenario').forEach(function(sc){
      var ok=has(words(sc,'data-tags'),t)&&has(words(sc,'data-reqs'),r)&&
        has(words(sc,'data-status'),s)&&(!q||(sc.getAttribute('data-text')||'').indexOf(q)>=0);
      sc.classList.toggle('hidden',!ok); total++; if(ok) shown++;
    });
    document.querySelectorAll('.feature,.rule').forEach(function(f){
      var any=f.querySelector('.scenario:not(.hidden)');
      f.classList.toggle('hidden',!any);
    });
    document.querySelectorAll('tr.requirement').forEach(function(row){
      var ok=has(words(row,'data-reqs'),r)&&has(words(row,'data-status'),s)&&has(words(row,'data-tags'),t)&&
        (!q||(row.getAttribute('data-text')||'').indexOf(q)>=0);
      row.classList.toggle('hidden',!ok);
    });
    document.querySelectorAll('#contents li[data-feature]').forEach(function(li){
      var f=document.getElementById(li.getAttribute('data-feature'));
      li.classList.toggle('hidden',!!f&&f.classList.contains('hidden'));
    });
    var filtering=!!(t||r||s||q);
    count.textContent=filtering?(shown+' of '+total+' scenarios'):'';
    document.getElementById('f-empty').classList.toggle('hidden',!filtering||shown>0||
      document.querySelector('tr.requirement:not(.hidden)')!==null);
  }
  [tag,req,st].forEach(function(el){el.addEventListener('change',apply);});
  txt.addEventListener('input',apply);
  function reset(){tag.value='';req.value='';st.value='';txt.value='';apply();}
  document.getElementById('f-reset').addEventListener('click',reset);
  document.getElementById('f-clear').addEventListener('click',reset);
  var box=document.getElementById('lightbox'), big=box.querySelector('img');
  document.addEventListener('click',function(ev){
    var img=ev.target.closest&&ev.target.closest('figure.shot img');
    if(img){big.src=img.src;big.alt=img.alt;box.classList.remove('hidden');return;}
    if(ev.target.closest&&ev.target.closest('#lightbox')) box.classList.add('hidden');
  });
  document.addEventListener('keydown',function(ev){if(ev.key==='Escape') box.classList.add('hidden');});
  apply();
})();
"""
