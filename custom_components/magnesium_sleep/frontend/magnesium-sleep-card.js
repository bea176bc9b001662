var j=globalThis,K=j.ShadowRoot&&(j.ShadyCSS===void 0||j.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,q=Symbol(),mt=new WeakMap,N=class{constructor(t,e,n){if(this._$cssResult$=!0,n!==q)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=t,this.t=e}get styleSheet(){let t=this.o,e=this.t;if(K&&t===void 0){let n=e!==void 0&&e.length===1;n&&(t=mt.get(e)),t===void 0&&((this.o=t=new CSSStyleSheet).replaceSync(this.cssText),n&&mt.set(e,t))}return t}toString(){return this.cssText}},_t=i=>new N(typeof i=="string"?i:i+"",void 0,q),Z=(i,...t)=>{let e=i.length===1?i[0]:t.reduce((n,s,r)=>n+(o=>{if(o._$cssResult$===!0)return o.cssText;if(typeof o=="number")return o;throw Error("Value passed to 'css' function must be a 'css' function result: "+o+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(s)+i[r+1],i[0]);return new N(e,i,q)},ft=(i,t)=>{if(K)i.adoptedStyleSheets=t.map(e=>e instanceof CSSStyleSheet?e:e.styleSheet);else for(let e of t){let n=document.createElement("style"),s=j.litNonce;s!==void 0&&n.setAttribute("nonce",s),n.textContent=e.cssText,i.appendChild(n)}},Y=K?i=>i:i=>i instanceof CSSStyleSheet?(t=>{let e="";for(let n of t.cssRules)e+=n.cssText;return _t(e)})(i):i;var{is:qt,defineProperty:Zt,getOwnPropertyDescriptor:Yt,getOwnPropertyNames:Jt,getOwnPropertySymbols:Xt,getPrototypeOf:Qt}=Object,B=globalThis,yt=B.trustedTypes,te=yt?yt.emptyScript:"",ee=B.reactiveElementPolyfillSupport,M=(i,t)=>i,J={toAttribute(i,t){switch(t){case Boolean:i=i?te:null;break;case Object:case Array:i=i==null?i:JSON.stringify(i)}return i},fromAttribute(i,t){let e=i;switch(t){case Boolean:e=i!==null;break;case Number:e=i===null?null:Number(i);break;case Object:case Array:try{e=JSON.parse(i)}catch{e=null}}return e}},$t=(i,t)=>!qt(i,t),vt={attribute:!0,type:String,converter:J,reflect:!1,useDefault:!1,hasChanged:$t};Symbol.metadata??=Symbol("metadata"),B.litPropertyMetadata??=new WeakMap;var _=class extends HTMLElement{static addInitializer(t){this._$Ei(),(this.l??=[]).push(t)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(t,e=vt){if(e.state&&(e.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(t)&&((e=Object.create(e)).wrapped=!0),this.elementProperties.set(t,e),!e.noAccessor){let n=Symbol(),s=this.getPropertyDescriptor(t,n,e);s!==void 0&&Zt(this.prototype,t,s)}}static getPropertyDescriptor(t,e,n){let{get:s,set:r}=Yt(this.prototype,t)??{get(){return this[e]},set(o){this[e]=o}};return{get:s,set(o){let l=s?.call(this);r?.call(this,o),this.requestUpdate(t,l,n)},configurable:!0,enumerable:!0}}static getPropertyOptions(t){return this.elementProperties.get(t)??vt}static _$Ei(){if(this.hasOwnProperty(M("elementProperties")))return;let t=Qt(this);t.finalize(),t.l!==void 0&&(this.l=[...t.l]),this.elementProperties=new Map(t.elementProperties)}static finalize(){if(this.hasOwnProperty(M("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(M("properties"))){let e=this.properties,n=[...Jt(e),...Xt(e)];for(let s of n)this.createProperty(s,e[s])}let t=this[Symbol.metadata];if(t!==null){let e=litPropertyMetadata.get(t);if(e!==void 0)for(let[n,s]of e)this.elementProperties.set(n,s)}this._$Eh=new Map;for(let[e,n]of this.elementProperties){let s=this._$Eu(e,n);s!==void 0&&this._$Eh.set(s,e)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(t){let e=[];if(Array.isArray(t)){let n=new Set(t.flat(1/0).reverse());for(let s of n)e.unshift(Y(s))}else t!==void 0&&e.push(Y(t));return e}static _$Eu(t,e){let n=e.attribute;return n===!1?void 0:typeof n=="string"?n:typeof t=="string"?t.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(t=>this.enableUpdating=t),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(t=>t(this))}addController(t){(this._$EO??=new Set).add(t),this.renderRoot!==void 0&&this.isConnected&&t.hostConnected?.()}removeController(t){this._$EO?.delete(t)}_$E_(){let t=new Map,e=this.constructor.elementProperties;for(let n of e.keys())this.hasOwnProperty(n)&&(t.set(n,this[n]),delete this[n]);t.size>0&&(this._$Ep=t)}createRenderRoot(){let t=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return ft(t,this.constructor.elementStyles),t}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(t=>t.hostConnected?.())}enableUpdating(t){}disconnectedCallback(){this._$EO?.forEach(t=>t.hostDisconnected?.())}attributeChangedCallback(t,e,n){this._$AK(t,n)}_$ET(t,e){let n=this.constructor.elementProperties.get(t),s=this.constructor._$Eu(t,n);if(s!==void 0&&n.reflect===!0){let r=(n.converter?.toAttribute!==void 0?n.converter:J).toAttribute(e,n.type);this._$Em=t,r==null?this.removeAttribute(s):this.setAttribute(s,r),this._$Em=null}}_$AK(t,e){let n=this.constructor,s=n._$Eh.get(t);if(s!==void 0&&this._$Em!==s){let r=n.getPropertyOptions(s),o=typeof r.converter=="function"?{fromAttribute:r.converter}:r.converter?.fromAttribute!==void 0?r.converter:J;this._$Em=s;let l=o.fromAttribute(e,r.type);this[s]=l??this._$Ej?.get(s)??l,this._$Em=null}}requestUpdate(t,e,n,s=!1,r){if(t!==void 0){let o=this.constructor;if(s===!1&&(r=this[t]),n??=o.getPropertyOptions(t),!((n.hasChanged??$t)(r,e)||n.useDefault&&n.reflect&&r===this._$Ej?.get(t)&&!this.hasAttribute(o._$Eu(t,n))))return;this.C(t,e,n)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(t,e,{useDefault:n,reflect:s,wrapped:r},o){n&&!(this._$Ej??=new Map).has(t)&&(this._$Ej.set(t,o??e??this[t]),r!==!0||o!==void 0)||(this._$AL.has(t)||(this.hasUpdated||n||(e=void 0),this._$AL.set(t,e)),s===!0&&this._$Em!==t&&(this._$Eq??=new Set).add(t))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(e){Promise.reject(e)}let t=this.scheduleUpdate();return t!=null&&await t,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[s,r]of this._$Ep)this[s]=r;this._$Ep=void 0}let n=this.constructor.elementProperties;if(n.size>0)for(let[s,r]of n){let{wrapped:o}=r,l=this[s];o!==!0||this._$AL.has(s)||l===void 0||this.C(s,void 0,r,l)}}let t=!1,e=this._$AL;try{t=this.shouldUpdate(e),t?(this.willUpdate(e),this._$EO?.forEach(n=>n.hostUpdate?.()),this.update(e)):this._$EM()}catch(n){throw t=!1,this._$EM(),n}t&&this._$AE(e)}willUpdate(t){}_$AE(t){this._$EO?.forEach(e=>e.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(t)),this.updated(t)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(t){return!0}update(t){this._$Eq&&=this._$Eq.forEach(e=>this._$ET(e,this[e])),this._$EM()}updated(t){}firstUpdated(t){}};_.elementStyles=[],_.shadowRootOptions={mode:"open"},_[M("elementProperties")]=new Map,_[M("finalized")]=new Map,ee?.({ReactiveElement:_}),(B.reactiveElementVersions??=[]).push("2.1.2");var it=globalThis,bt=i=>i,V=it.trustedTypes,wt=V?V.createPolicy("lit-html",{createHTML:i=>i}):void 0,Tt="$lit$",y=`lit$${Math.random().toFixed(9).slice(2)}$`,Ct="?"+y,ne=`<${Ct}>`,A=document,O=()=>A.createComment(""),D=i=>i===null||typeof i!="object"&&typeof i!="function",rt=Array.isArray,se=i=>rt(i)||typeof i?.[Symbol.iterator]=="function",X=`[ 	
\f\r]`,H=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,xt=/-->/g,At=/>/g,w=RegExp(`>|${X}(?:([^\\s"'>=/]+)(${X}*=${X}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),St=/'/g,kt=/"/g,Rt=/^(?:script|style|textarea|title)$/i,ot=i=>(t,...e)=>({_$litType$:i,strings:t,values:e}),g=ot(1),F=ot(2),me=ot(3),S=Symbol.for("lit-noChange"),u=Symbol.for("lit-nothing"),Et=new WeakMap,x=A.createTreeWalker(A,129);function Pt(i,t){if(!rt(i)||!i.hasOwnProperty("raw"))throw Error("invalid template strings array");return wt!==void 0?wt.createHTML(t):t}var ie=(i,t)=>{let e=i.length-1,n=[],s,r=t===2?"<svg>":t===3?"<math>":"",o=H;for(let l=0;l<e;l++){let a=i[l],d,c,h=-1,p=0;for(;p<a.length&&(o.lastIndex=p,c=o.exec(a),c!==null);)p=o.lastIndex,o===H?c[1]==="!--"?o=xt:c[1]!==void 0?o=At:c[2]!==void 0?(Rt.test(c[2])&&(s=RegExp("</"+c[2],"g")),o=w):c[3]!==void 0&&(o=w):o===w?c[0]===">"?(o=s??H,h=-1):c[1]===void 0?h=-2:(h=o.lastIndex-c[2].length,d=c[1],o=c[3]===void 0?w:c[3]==='"'?kt:St):o===kt||o===St?o=w:o===xt||o===At?o=H:(o=w,s=void 0);let m=o===w&&i[l+1].startsWith("/>")?" ":"";r+=o===H?a+ne:h>=0?(n.push(d),a.slice(0,h)+Tt+a.slice(h)+y+m):a+y+(h===-2?l:m)}return[Pt(i,r+(i[e]||"<?>")+(t===2?"</svg>":t===3?"</math>":"")),n]},U=class i{constructor({strings:t,_$litType$:e},n){let s;this.parts=[];let r=0,o=0,l=t.length-1,a=this.parts,[d,c]=ie(t,e);if(this.el=i.createElement(d,n),x.currentNode=this.el.content,e===2||e===3){let h=this.el.content.firstChild;h.replaceWith(...h.childNodes)}for(;(s=x.nextNode())!==null&&a.length<l;){if(s.nodeType===1){if(s.hasAttributes())for(let h of s.getAttributeNames())if(h.endsWith(Tt)){let p=c[o++],m=s.getAttribute(h).split(y),E=/([.?@])?(.*)/.exec(p);a.push({type:1,index:r,name:E[2],strings:m,ctor:E[1]==="."?tt:E[1]==="?"?et:E[1]==="@"?nt:C}),s.removeAttribute(h)}else h.startsWith(y)&&(a.push({type:6,index:r}),s.removeAttribute(h));if(Rt.test(s.tagName)){let h=s.textContent.split(y),p=h.length-1;if(p>0){s.textContent=V?V.emptyScript:"";for(let m=0;m<p;m++)s.append(h[m],O()),x.nextNode(),a.push({type:2,index:++r});s.append(h[p],O())}}}else if(s.nodeType===8)if(s.data===Ct)a.push({type:2,index:r});else{let h=-1;for(;(h=s.data.indexOf(y,h+1))!==-1;)a.push({type:7,index:r}),h+=y.length-1}r++}}static createElement(t,e){let n=A.createElement("template");return n.innerHTML=t,n}};function T(i,t,e=i,n){if(t===S)return t;let s=n!==void 0?e._$Co?.[n]:e._$Cl,r=D(t)?void 0:t._$litDirective$;return s?.constructor!==r&&(s?._$AO?.(!1),r===void 0?s=void 0:(s=new r(i),s._$AT(i,e,n)),n!==void 0?(e._$Co??=[])[n]=s:e._$Cl=s),s!==void 0&&(t=T(i,s._$AS(i,t.values),s,n)),t}var Q=class{constructor(t,e){this._$AV=[],this._$AN=void 0,this._$AD=t,this._$AM=e}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(t){let{el:{content:e},parts:n}=this._$AD,s=(t?.creationScope??A).importNode(e,!0);x.currentNode=s;let r=x.nextNode(),o=0,l=0,a=n[0];for(;a!==void 0;){if(o===a.index){let d;a.type===2?d=new L(r,r.nextSibling,this,t):a.type===1?d=new a.ctor(r,a.name,a.strings,this,t):a.type===6&&(d=new st(r,this,t)),this._$AV.push(d),a=n[++l]}o!==a?.index&&(r=x.nextNode(),o++)}return x.currentNode=A,s}p(t){let e=0;for(let n of this._$AV)n!==void 0&&(n.strings!==void 0?(n._$AI(t,n,e),e+=n.strings.length-2):n._$AI(t[e])),e++}},L=class i{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(t,e,n,s){this.type=2,this._$AH=u,this._$AN=void 0,this._$AA=t,this._$AB=e,this._$AM=n,this.options=s,this._$Cv=s?.isConnected??!0}get parentNode(){let t=this._$AA.parentNode,e=this._$AM;return e!==void 0&&t?.nodeType===11&&(t=e.parentNode),t}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(t,e=this){t=T(this,t,e),D(t)?t===u||t==null||t===""?(this._$AH!==u&&this._$AR(),this._$AH=u):t!==this._$AH&&t!==S&&this._(t):t._$litType$!==void 0?this.$(t):t.nodeType!==void 0?this.T(t):se(t)?this.k(t):this._(t)}O(t){return this._$AA.parentNode.insertBefore(t,this._$AB)}T(t){this._$AH!==t&&(this._$AR(),this._$AH=this.O(t))}_(t){this._$AH!==u&&D(this._$AH)?this._$AA.nextSibling.data=t:this.T(A.createTextNode(t)),this._$AH=t}$(t){let{values:e,_$litType$:n}=t,s=typeof n=="number"?this._$AC(t):(n.el===void 0&&(n.el=U.createElement(Pt(n.h,n.h[0]),this.options)),n);if(this._$AH?._$AD===s)this._$AH.p(e);else{let r=new Q(s,this),o=r.u(this.options);r.p(e),this.T(o),this._$AH=r}}_$AC(t){let e=Et.get(t.strings);return e===void 0&&Et.set(t.strings,e=new U(t)),e}k(t){rt(this._$AH)||(this._$AH=[],this._$AR());let e=this._$AH,n,s=0;for(let r of t)s===e.length?e.push(n=new i(this.O(O()),this.O(O()),this,this.options)):n=e[s],n._$AI(r),s++;s<e.length&&(this._$AR(n&&n._$AB.nextSibling,s),e.length=s)}_$AR(t=this._$AA.nextSibling,e){for(this._$AP?.(!1,!0,e);t!==this._$AB;){let n=bt(t).nextSibling;bt(t).remove(),t=n}}setConnected(t){this._$AM===void 0&&(this._$Cv=t,this._$AP?.(t))}},C=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(t,e,n,s,r){this.type=1,this._$AH=u,this._$AN=void 0,this.element=t,this.name=e,this._$AM=s,this.options=r,n.length>2||n[0]!==""||n[1]!==""?(this._$AH=Array(n.length-1).fill(new String),this.strings=n):this._$AH=u}_$AI(t,e=this,n,s){let r=this.strings,o=!1;if(r===void 0)t=T(this,t,e,0),o=!D(t)||t!==this._$AH&&t!==S,o&&(this._$AH=t);else{let l=t,a,d;for(t=r[0],a=0;a<r.length-1;a++)d=T(this,l[n+a],e,a),d===S&&(d=this._$AH[a]),o||=!D(d)||d!==this._$AH[a],d===u?t=u:t!==u&&(t+=(d??"")+r[a+1]),this._$AH[a]=d}o&&!s&&this.j(t)}j(t){t===u?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,t??"")}},tt=class extends C{constructor(){super(...arguments),this.type=3}j(t){this.element[this.name]=t===u?void 0:t}},et=class extends C{constructor(){super(...arguments),this.type=4}j(t){this.element.toggleAttribute(this.name,!!t&&t!==u)}},nt=class extends C{constructor(t,e,n,s,r){super(t,e,n,s,r),this.type=5}_$AI(t,e=this){if((t=T(this,t,e,0)??u)===S)return;let n=this._$AH,s=t===u&&n!==u||t.capture!==n.capture||t.once!==n.once||t.passive!==n.passive,r=t!==u&&(n===u||s);s&&this.element.removeEventListener(this.name,this,n),r&&this.element.addEventListener(this.name,this,t),this._$AH=t}handleEvent(t){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,t):this._$AH.handleEvent(t)}},st=class{constructor(t,e,n){this.element=t,this.type=6,this._$AN=void 0,this._$AM=e,this.options=n}get _$AU(){return this._$AM._$AU}_$AI(t){T(this,t)}};var re=it.litHtmlPolyfillSupport;re?.(U,L),(it.litHtmlVersions??=[]).push("3.3.3");var Nt=(i,t,e)=>{let n=e?.renderBefore??t,s=n._$litPart$;if(s===void 0){let r=e?.renderBefore??null;n._$litPart$=s=new L(t.insertBefore(O(),r),r,void 0,e??{})}return s._$AI(i),s};var at=globalThis,v=class extends _{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let t=super.createRenderRoot();return this.renderOptions.renderBefore??=t.firstChild,t}update(t){let e=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(t),this._$Do=Nt(e,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return S}};v._$litElement$=!0,v.finalized=!0,at.litElementHydrateSupport?.({LitElement:v});var oe=at.litElementPolyfillSupport;oe?.({LitElement:v});(at.litElementVersions??=[]).push("4.2.2");var Mt={card_name:"Magnesium & Sleep",card_description:"Tonight's magnesium, last night's sleep and the trend of your last weeks.",profile_not_found:"Profile not found. Pick a Magnesium & Sleep entity in the card's settings.",no_entity:"Pick a Magnesium & Sleep entity in the card's settings.",tonight:"Tonight",dose_taken:"Taken",dose_not_taken:"Not taken yet",of_target:"{mg} of {target}",above_limit:"Today's {mg} is above the {limit} upper limit for supplements. That limit is set to avoid an upset stomach; one day over it is rarely a problem. If it happens often, talk to your doctor or pharmacist.",took_it:"Took it",logging:"Logging\u2026",logged:"Logged {servings}: {mg}",serving:"1 serving",undo:"Undo",undone:"Removed again",failed:"That did not work: {error}",last_night:"Last night",no_night:"No night yet",score:"Sleep score",duration:"Sleep",latency:"Time to fall asleep",bedtime:"Bedtime",wake_time:"Wake time",component_duration:"Duration",component_efficiency:"Efficiency",component_latency:"Falling asleep",component_waso:"Time awake",component_awakenings:"Awakenings",component_regularity:"Regularity",points:"{points} pts",trend:"Last {days} nights",trend_legend_mg:"Magnesium (mg)",trend_legend_score:"Sleep score",trend_hint:"Tap a night to see its values.",trend_empty:"No nights in this period yet.",night_values:"{night}: {mg}, score {score}",unknown:"\u2014",next_wind_down:"Next wind-down",option_entity:"Profile (any of its entities)",option_days:"Nights in the trend",option_show:"Parts to show",part_tonight:"Tonight",part_took_it:"\u201CTook it\u201D button",part_last_night:"Last night",part_trend:"Trend",part_wind_down:"Next wind-down"},ae={card_name:"Magnesium & Slaap",card_description:"Het magnesium van vanavond, de slaap van afgelopen nacht en het verloop van de laatste weken.",profile_not_found:"Profiel niet gevonden. Kies een entiteit van Magnesium & Slaap in de instellingen van de kaart.",no_entity:"Kies een entiteit van Magnesium & Slaap in de instellingen van de kaart.",tonight:"Vanavond",dose_taken:"Al ingenomen",dose_not_taken:"Nog niet ingenomen",of_target:"{mg} van {target}",above_limit:"De {mg} van vandaag ligt boven de bovengrens van {limit} voor supplementen. Die grens is er om maagklachten te voorkomen; \xE9\xE9n dag erboven is zelden een probleem. Gebeurt het vaak, overleg dan met je arts of apotheker.",took_it:"Ingenomen",logging:"Bezig\u2026",logged:"Geregistreerd {servings}: {mg}",serving:"1 portie",undo:"Ongedaan maken",undone:"Weer verwijderd",failed:"Dat lukte niet: {error}",last_night:"Afgelopen nacht",no_night:"Nog geen nacht",score:"Slaapscore",duration:"Slaap",latency:"Tijd om in slaap te vallen",bedtime:"Bedtijd",wake_time:"Wektijd",component_duration:"Duur",component_efficiency:"Effici\xEBntie",component_latency:"In slaap vallen",component_waso:"Tijd wakker",component_awakenings:"Keren wakker",component_regularity:"Regelmaat",points:"{points} ptn",trend:"Laatste {days} nachten",trend_legend_mg:"Magnesium (mg)",trend_legend_score:"Slaapscore",trend_hint:"Tik op een nacht voor de waarden.",trend_empty:"Nog geen nachten in deze periode.",night_values:"{night}: {mg}, score {score}",unknown:"\u2014",next_wind_down:"Volgende wind-down",option_entity:"Profiel (een van de entiteiten)",option_days:"Nachten in het verloop",option_show:"Te tonen onderdelen",part_tonight:"Vanavond",part_took_it:"Knop \u201CIngenomen\u201D",part_last_night:"Afgelopen nacht",part_trend:"Verloop",part_wind_down:"Volgende wind-down"},Ht={en:Mt,nl:ae};function $(i,t,e={}){return(Ht[i.split("-")[0].toLowerCase()]??Mt)[t].replace(/\{(\w+)\}/g,(s,r)=>r in e?String(e[r]):s)}function Ot(i,t){return $(i,t).split(/\{(\w+)\}/)}var Te=Object.keys(Ht);var f="magnesium_sleep";function Dt(i,t,e){let n=i[e],s=n?.platform===f&&n.device_id?t[n.device_id]:void 0,r=s?.primary_config_entry??s?.config_entries[0];if(s===void 0||r===void 0)return null;let o={};for(let l of Object.values(i))l?.device_id===s.id&&l.platform===f&&l.translation_key&&(o[`${l.entity_id.split(".")[0]}.${l.translation_key}`]=l.entity_id);return{entryId:r,deviceId:s.id,entities:o}}function Ut(i){return Object.values(i).filter(t=>t?.platform===f&&t.translation_key==="magnesium_today").map(t=>t.entity_id).sort()[0]}var R=["tonight","took_it","last_night","trend","wind_down"];var W=14;function Lt(i){return{schema:[{name:"entity",required:!0,selector:{entity:{filter:{integration:f}}}},{name:"days",default:W,selector:{number:{min:3,max:90,mode:"box"}}},{name:"show",selector:{select:{multiple:!0,mode:"list",options:R.map(t=>({value:t,label:$(i,`part_${t}`)}))}}}],computeLabel:t=>$(i,`option_${t.name}`)}}var zt=new Set(["unknown","unavailable","","none"]);function It(i){switch(i.number_format){case"comma_decimal":return"en-US";case"decimal_comma":return"de";case"space_comma":return"fr";case"system":return;default:return i.language}}function lt(i){if(i===void 0||zt.has(i.state))return null;let t=Number(i.state);return Number.isFinite(t)?t:null}function b(i){return i!==void 0&&!zt.has(i.state)}function z(i,t,e=0){return new Intl.NumberFormat(t,{maximumFractionDigits:e}).format(i)}function k(i,t){return`${z(i,t)} mg`}function dt(i,t){let e=Math.round(i),n=Math.floor(e/60),s=e%60,r=(o,l)=>new Intl.NumberFormat(t,{style:"unit",unit:l,unitDisplay:"short"}).format(o);return n===0?r(s,"minute"):s===0?r(n,"hour"):`${r(n,"hour")} ${r(s,"minute")}`}function ct(i){let t=lt(i);if(t===null||i===void 0)return null;let e={s:1/60,min:1,h:60,d:1440};return t*(e[String(i.attributes.unit_of_measurement??"min")]??1)}function ht(i,t,e){let n=t.time_format==="12"?!0:t.time_format==="24"?!1:void 0;return new Intl.DateTimeFormat(t.language,{hour:"numeric",minute:"2-digit",hour12:n,timeZone:e}).format(new Date(i))}function I(i,t){return new Intl.DateTimeFormat(t,{weekday:"short",day:"numeric",month:"short",timeZone:"UTC"}).format(new Date(`${i}T00:00:00Z`))}function jt(i,t){return t===null||t<=0?0:Math.min(1,Math.max(0,i/t))}function le(i,t){let e=Date.parse(`${i}T00:00:00Z`);return Array.from({length:t},(n,s)=>new Date(e-(t-1-s)*864e5).toISOString().slice(0,10))}function Kt(i,t,e){let n=new Map(i.map(s=>[s.night,s]));return le(t,e).map(s=>{let r=n.get(s)??null;return{night:s,mg:r?.magnesium_mg??null,score:r?.score??null,row:r}})}var P=i=>Math.round(i*10)/10;function Bt(i,t,e,n){let s=i.length===0?t:t/i.length,r=Math.max(n??0,...i.map(d=>d.mg??0),1),o=[],l=[],a="";return i.forEach((d,c)=>{if(d.mg!==null&&d.mg>0){let gt=d.mg/r*e;o.push({index:c,x:P(c*s+s*.2),y:P(e-gt),width:P(s*.6),height:P(gt)})}if(d.score===null)return;let h=P(c*s+s/2),p=P(e-d.score/100*e),m=i[c-1]?.score??null,E=i[c+1]?.score??null;a+=`${m===null?"M":"L"}${h} ${p}`,m===null&&E===null&&l.push({x:h,y:p})}),{slot:s,bars:o,scorePath:a,dots:l,mgMax:r}}var G="magnesium-sleep-card",Vt=1e4,Ft=300,ut=90,de=["duration","efficiency","latency","waso","awakenings","regularity"],pt=class extends v{constructor(){super();this._profile=null;this._shown=[];this._trendKey="";this._action={kind:"idle"}}static{this.properties={_config:{state:!0},_nights:{state:!0},_selected:{state:!0},_action:{state:!0}}}static getConfigForm(){return Lt(document.documentElement.lang||navigator.language)}static getStubConfig(e){return{entity:Ut(e.entities)??""}}setConfig(e){if(typeof e.entity!="string")throw new Error("entity: give an entity of a Magnesium & Sleep profile");if(e.days!==void 0&&!(Number.isInteger(e.days)&&e.days>=1&&e.days<=365))throw new Error("days: a whole number from 1 to 365");if(e.show!==void 0&&!(Array.isArray(e.show)&&e.show.every(n=>R.includes(n))))throw new Error(`show: a list of ${R.join(", ")}`);this._config=e,this._trendKey=""}set hass(e){this._hass=e;let n=this._config?Dt(e.entities,e.devices,this._config.entity):null,s=[e.locale,e.themes?.darkMode,e.services[f]?.get_nights!==void 0,n?.entryId,...Object.values(n?.entities??{}).map(r=>e.states[r])];(s.length!==this._shown.length||s.some((r,o)=>r!==this._shown[o]))&&(this._shown=s,this._profile=n,this.requestUpdate())}get hass(){return this._hass}getCardSize(){return 2+this._parts().size*2}getGridOptions(){return{columns:12,min_columns:6,min_rows:3}}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this._undoTimer)}_parts(){return new Set(this._config?.show??R)}get _language(){return this._hass?.locale.language??this._hass?.language??"en"}_t(e,n){return $(this._language,e,n)}_state(e){let n=this._profile?.entities[e];return n===void 0?void 0:this._hass?.states[n]}get _numbers(){return this._hass?It(this._hass.locale):void 0}_loaded(){return b(this._state("sensor.magnesium_today"))}updated(e){super.updated(e),this._refreshTrend()}_refreshTrend(){let e=this._hass,n=this._state("sensor.magnesium_today");if(!e||!this._profile||!this._parts().has("trend")||!b(n))return;if(e.services[f]?.get_nights===void 0){this._nights=void 0;return}let s=String(n.attributes.day??""),r=this._config?.days??W,o=[this._profile.entryId,s,r,n.last_updated,this._state("sensor.sleep_score")?.last_updated].join("|");if(o===this._trendKey||!s)return;this._trendKey=o;let l=new Date(Date.parse(`${s}T00:00:00Z`)-(r-1)*864e5).toISOString().slice(0,10);this._call("get_nights",{start:l,end:s}).then(a=>{this._trendKey===o&&(this._nights=a.nights)}).catch(()=>{this._trendKey="",this._nights=void 0})}async _call(e,n){return(await this._hass.callWS({type:"call_service",domain:f,service:e,service_data:{config_entry_id:this._profile.entryId,...n},return_response:!0})).response}async _tookIt(){this._action={kind:"busy"},clearTimeout(this._undoTimer);try{let e=await this._call("log_dose",{servings:1});this._action={kind:"logged",dose:e},this._undoTimer=setTimeout(()=>{this._action={kind:"idle"}},Vt)}catch(e){this._action={kind:"failed",error:e.message??String(e)}}}async _undo(e){clearTimeout(this._undoTimer),this._action={kind:"busy"};try{await this._call("remove_dose",{dose_id:e}),this._action={kind:"undone"},this._undoTimer=setTimeout(()=>{this._action={kind:"idle"}},Vt/2)}catch(n){this._action={kind:"failed",error:n.message??String(n)}}}render(){if(!this._config||!this._hass)return g``;if(!this._config.entity)return g`<ha-card><div class="message">${this._t("no_entity")}</div></ha-card>`;if(!this._profile||!this._loaded())return g`<ha-card><div class="message not-found">${this._t("profile_not_found")}</div></ha-card>`;let e=this._parts(),n=this._hass.devices[this._profile.deviceId];return g`<ha-card>
      <div class="title">${n?.name_by_user||n?.name||this._t("card_name")}</div>
      ${e.has("tonight")?this._renderTonight():u}
      ${e.has("took_it")?this._renderTookIt():u}
      ${e.has("last_night")?this._renderLastNight():u}
      ${e.has("trend")?this._renderTrend():u}
      ${e.has("wind_down")?this._renderWindDown():u}
    </ha-card>`}_renderTonight(){let e=this._state("sensor.magnesium_today"),n=lt(e)??0,s=typeof e?.attributes.target_mg=="number"?e.attributes.target_mg:null,r=e?.attributes.upper_limit_mg,o=this._state("binary_sensor.dose_taken_today")?.state==="on",l=this._state("binary_sensor.above_upper_limit")?.state==="on",a=this._numbers,d=jt(n,s);return g`<section class="tonight">
      <div class="row">
        <h2>${this._t("tonight")}</h2>
        <span class="status ${o?"taken":""}">${this._t(o?"dose_taken":"dose_not_taken")}</span>
      </div>
      <div class="amount">
        ${Ot(this._language,"of_target").map((c,h)=>h%2===0?c:c==="mg"?g`<span class="mg">${k(n,a)}</span>`:g`<span class="target">${s===null?this._t("unknown"):k(s,a)}</span>`)}
      </div>
      <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(d*100)}>
        <div class="fill ${l?"over":""}" style="width: ${d*100}%"></div>
      </div>
      ${l&&typeof r=="number"?g`<p class="limit">${this._t("above_limit",{mg:k(n,a),limit:k(r,a)})}</p>`:u}
    </section>`}_renderTookIt(){let e=this._action,n=u;return e.kind==="logged"?n=g`<span class="feedback"
          >${this._t("logged",{servings:this._t("serving"),mg:k(e.dose.elemental_mg,this._numbers)})}</span
        >
        <button class="undo" @click=${()=>this._undo(e.dose.dose_id)}>${this._t("undo")}</button>`:e.kind==="undone"?n=g`<span class="feedback">${this._t("undone")}</span>`:e.kind==="failed"&&(n=g`<span class="feedback error">${this._t("failed",{error:e.error})}</span>`),g`<section class="took-it">
      <button class="primary took-it-button" ?disabled=${e.kind==="busy"} @click=${this._tookIt}>
        ${e.kind==="busy"?this._t("logging"):this._t("took_it")}
      </button>
      <div class="action-feedback" aria-live="polite">${n}</div>
    </section>`}_renderLastNight(){let e=this._hass,n=this._state("sensor.sleep_score"),s=[],r=this._state("sensor.sleep_duration"),o=ct(r);o!==null&&s.push(["duration",e.formatEntityState?e.formatEntityState(r):dt(o,this._numbers)]);let l=this._state("sensor.sleep_latency"),a=ct(l);a!==null&&s.push(["latency",e.formatEntityState?e.formatEntityState(l):dt(a,this._numbers)]);let d=e.locale.time_zone==="local"?Intl.DateTimeFormat().resolvedOptions().timeZone:e.config.time_zone;for(let p of["bedtime","wake_time"]){let m=this._state(`sensor.${p}`);b(m)&&s.push([p,ht(m.state,e.locale,d)])}if(!b(n)&&s.length===0)return g`<section class="last-night">
        <h2>${this._t("last_night")}</h2>
        <p class="no-night">${this._t("no_night")}</p>
      </section>`;let c=n?.attributes.components??{},h=n?.attributes.night;return g`<section class="last-night">
      <div class="row">
        <h2>${this._t("last_night")}</h2>
        ${typeof h=="string"?g`<span class="secondary">${I(h,e.locale.language)}</span>`:u}
      </div>
      <div class="night">
        ${b(n)?g`<div class="score-box">
              <span class="score">${z(Number(n.state),this._numbers)}</span>
              <span class="secondary">${this._t("score")}</span>
            </div>`:u}
        <dl class="facts">
          ${s.map(([p,m])=>g`<div><dt>${this._t(p)}</dt><dd class=${p}>${m}</dd></div>`)}
        </dl>
      </div>
      ${Object.keys(c).length?g`<ul class="components">
            ${de.filter(p=>p in c).map(p=>g`<li>
                <span>${this._t(`component_${p}`)}</span>
                <span class="secondary">${this._t("points",{points:z(c[p],this._numbers,1)})}</span>
              </li>`)}
          </ul>`:u}
    </section>`}_renderTrend(){let e=this._state("sensor.magnesium_today");if(this._nights===void 0||!b(e))return u;let n=this._config?.days??W,s=typeof e.attributes.target_mg=="number"?e.attributes.target_mg:null,r=Kt(this._nights,String(e.attributes.day),n),o=Bt(r,Ft,ut,s),l=this._hass.locale.language,a=this._selected===void 0?void 0:r[this._selected];return g`<section class="trend">
      <div class="row">
        <h2>${this._t("trend",{days:n})}</h2>
        <span class="legend"
          ><i class="key mg"></i>${this._t("trend_legend_mg")} <i class="key score-key"></i>${this._t("trend_legend_score")}</span
        >
      </div>
      <svg viewBox="0 0 ${Ft} ${ut}" preserveAspectRatio="none" role="img" aria-label=${this._t("trend",{days:n})}>
        ${o.bars.map(d=>F`<rect class="bar-mg ${d.index===this._selected?"selected":""}" x=${d.x} y=${d.y} width=${d.width} height=${d.height}></rect>`)}
        <path class="line-score" d=${o.scorePath}></path>
        ${o.dots.map(d=>F`<circle class="dot-score" cx=${d.x} cy=${d.y} r="2"></circle>`)}
        ${r.map((d,c)=>F`<rect class="slot" x=${c*o.slot} y="0" width=${o.slot} height=${ut} @click=${()=>{this._selected=c}}></rect>`)}
      </svg>
      <div class="axis secondary">
        <span>${I(r[0].night,l)}</span><span>${I(r[r.length-1].night,l)}</span>
      </div>
      <p class="secondary selected-night">${a?this._nightText(a):this._t("trend_hint")}</p>
    </section>`}_nightText(e){return this._t("night_values",{night:I(e.night,this._hass.locale.language),mg:e.mg===null?this._t("unknown"):k(e.mg,this._numbers),score:e.score===null?this._t("unknown"):z(e.score,this._numbers)})}_renderWindDown(){let e=this._state("sensor.next_wind_down");if(!b(e))return u;let n=this._hass,s=n.locale.time_zone==="local"?Intl.DateTimeFormat().resolvedOptions().timeZone:n.config.time_zone;return g`<section class="wind-down row">
      <h2>${this._t("next_wind_down")}</h2>
      <span class="wind-down-time">${ht(e.state,n.locale,s)}</span>
    </section>`}static{this.styles=Z`
    :host {
      display: block;
    }
    ha-card {
      padding: 16px;
      display: flex;
      flex-direction: column;
      gap: 16px;
      overflow: hidden;
      box-sizing: border-box;
    }
    .title {
      font-size: var(--ha-font-size-l, 20px);
      font-weight: var(--ha-font-weight-medium, 500);
      color: var(--primary-text-color);
    }
    h2 {
      margin: 0;
      font-size: var(--ha-font-size-m, 14px);
      font-weight: var(--ha-font-weight-medium, 500);
      color: var(--primary-text-color);
    }
    section {
      display: flex;
      flex-direction: column;
      gap: 8px;
      min-width: 0;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      align-items: baseline;
      gap: 4px 12px;
    }
    .secondary,
    .status {
      color: var(--secondary-text-color);
      font-size: var(--ha-font-size-s, 12px);
    }
    .status.taken {
      color: var(--success-color, #43a047);
      font-weight: var(--ha-font-weight-medium, 500);
    }
    .amount {
      color: var(--primary-text-color);
    }
    .amount .mg {
      font-size: var(--ha-font-size-xl, 24px);
      font-weight: var(--ha-font-weight-medium, 500);
    }
    .bar {
      height: 8px;
      border-radius: 4px;
      background: var(--divider-color, rgba(127, 127, 127, 0.3));
      overflow: hidden;
    }
    .fill {
      height: 100%;
      background: var(--primary-color);
      border-radius: 4px;
      transition: width 0.3s ease;
    }
    .fill.over {
      background: var(--warning-color, #ffa600);
    }
    .limit {
      margin: 0;
      padding: 8px 12px;
      border-radius: 8px;
      font-size: var(--ha-font-size-s, 12px);
      color: var(--primary-text-color);
      background: rgba(var(--rgb-warning-color, 255, 166, 0), 0.12);
    }
    .message {
      color: var(--secondary-text-color);
    }
    .took-it {
      flex-direction: row;
      flex-wrap: wrap;
      align-items: center;
    }
    .action-feedback {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      min-width: 0;
      color: var(--primary-text-color);
    }
    .error {
      color: var(--error-color, #db4437);
    }
    button {
      font: inherit;
      cursor: pointer;
      border-radius: 18px;
      min-height: 36px;
      padding: 0 16px;
      border: 1px solid var(--primary-color);
      background: none;
      color: var(--primary-color);
    }
    button.primary {
      background: var(--primary-color);
      color: var(--text-primary-color, #fff);
    }
    button:disabled {
      opacity: 0.6;
      cursor: default;
    }
    .night {
      display: flex;
      flex-wrap: wrap;
      gap: 12px 24px;
      align-items: center;
    }
    .score-box {
      display: flex;
      flex-direction: column;
      align-items: center;
    }
    .score {
      font-size: 36px;
      line-height: 1;
      font-weight: var(--ha-font-weight-medium, 500);
      color: var(--primary-text-color);
    }
    .facts {
      margin: 0;
      display: grid;
      grid-template-columns: repeat(2, minmax(0, 1fr));
      gap: 4px 16px;
      flex: 1;
      min-width: 180px;
    }
    dt {
      color: var(--secondary-text-color);
      font-size: var(--ha-font-size-s, 12px);
    }
    dd {
      margin: 0;
      color: var(--primary-text-color);
    }
    .components {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
      gap: 2px 16px;
      color: var(--primary-text-color);
      font-size: var(--ha-font-size-s, 12px);
    }
    .components li {
      display: flex;
      justify-content: space-between;
      gap: 8px;
    }
    svg {
      width: 100%;
      height: 96px;
      display: block;
    }
    .bar-mg {
      fill: var(--primary-color);
      opacity: 0.45;
    }
    .bar-mg.selected {
      opacity: 0.9;
    }
    .line-score {
      fill: none;
      stroke: var(--accent-color, #ff9800);
      stroke-width: 2;
      vector-effect: non-scaling-stroke;
    }
    .dot-score {
      fill: var(--accent-color, #ff9800);
    }
    .slot {
      fill: transparent;
      cursor: pointer;
    }
    .axis {
      display: flex;
      justify-content: space-between;
    }
    .selected-night {
      margin: 0;
    }
    .legend {
      color: var(--secondary-text-color);
      font-size: var(--ha-font-size-s, 12px);
    }
    .key {
      display: inline-block;
      width: 10px;
      height: 10px;
      margin: 0 4px 0 8px;
      border-radius: 2px;
      vertical-align: middle;
    }
    .key.mg {
      background: var(--primary-color);
      opacity: 0.45;
    }
    .key.score-key {
      height: 2px;
      background: var(--accent-color, #ff9800);
    }
    .wind-down-time {
      color: var(--primary-text-color);
      font-weight: var(--ha-font-weight-medium, 500);
    }
  `}};function ce(){customElements.get(G)||customElements.define(G,pt)}function Gt(){customElements.get("home-assistant")?ce():setTimeout(Gt,50)}Gt();var Wt=document.documentElement.lang||navigator.language;window.customCards=window.customCards??[];window.customCards.some(i=>i.type===G)||window.customCards.push({type:G,name:$(Wt,"card_name"),description:$(Wt,"card_description"),preview:!0,documentationURL:"https://github.com/magnesium-sleep/magnesium_sleep#dashboard-card"});export{pt as MagnesiumSleepCard};
/*! Bundled license information:

@lit/reactive-element/css-tag.js:
  (**
   * @license
   * Copyright 2019 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/reactive-element.js:
lit-html/lit-html.js:
lit-element/lit-element.js:
  (**
   * @license
   * Copyright 2017 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

lit-html/is-server.js:
  (**
   * @license
   * Copyright 2022 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)
*/
