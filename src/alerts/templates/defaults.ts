// Built-in wording of alert messages per interface language, event type and stage: [headline, description, instruction].
// Plain civil-protection language: what is happening, then one clear action. Admins and approvers may override any
// entry through the console (stored by AlertTemplateStore); these stay the fallback. Never carries an exercise mark.
import type { AlertStage, EventType } from '../model.ts';
import type { TemplateLanguage } from './model.ts';

type Text = readonly [headline: string, description: string, instruction: string];
type Table = Readonly<Record<EventType, Readonly<Record<AlertStage, Text>>>>;

const en: Table = {
  'air-raid': {
    'pre-alert': ['Air raid warning: get ready', 'An air attack on this area is possible in the coming minutes.', 'Get ready to go to the nearest shelter. Keep your phone charged and follow official announcements.'],
    alert: ['Air raid alert', 'An air attack on this area is under way or imminent.', 'Go to the nearest shelter now and stay there until the all-clear.'],
    'all-clear': ['All clear: air raid over', 'The air raid alert for this area has ended.', 'You may leave the shelter. Stay away from damaged buildings and unexploded objects, and report them to the authorities.'],
  },
  missile: {
    'pre-alert': ['Missile threat: get ready', 'Missiles may be launched towards this area in the coming minutes.', 'Get ready to go to the nearest shelter. Stay near it and follow official announcements.'],
    alert: ['Missile alert', 'Missiles have been launched towards this area.', 'Go to the nearest shelter now and stay there for 10 minutes.'],
    'all-clear': ['All clear: missile threat over', 'The missile alert for this area has ended.', 'You may leave the shelter. Do not touch fragments or unexploded objects; report them to the authorities.'],
  },
  drone: {
    'pre-alert': ['Drone threat: get ready', 'Hostile drones may approach this area.', 'Get ready to go to the nearest shelter. Stay away from windows and follow official announcements.'],
    alert: ['Drone alert', 'Hostile drones are approaching this area.', 'Go to the nearest shelter now, or to an inner room away from windows, and stay there until the all-clear.'],
    'all-clear': ['All clear: drone threat over', 'The drone alert for this area has ended.', 'You may leave the shelter. Do not touch debris; report it to the authorities.'],
  },
  artillery: {
    'pre-alert': ['Shelling threat: get ready', 'Shelling of this area is possible.', 'Get ready to go to the nearest shelter. Avoid open spaces and follow official announcements.'],
    alert: ['Shelling alert', 'This area is under artillery fire or about to be.', 'Go to the nearest shelter or basement now and stay there until the all-clear. If you are outside, lie down in a ditch or behind a wall.'],
    'all-clear': ['All clear: shelling over', 'The shelling alert for this area has ended.', 'You may leave the shelter. Stay away from craters, damaged buildings and unexploded shells; report them to the authorities.'],
  },
  chemical: {
    'pre-alert': ['Chemical hazard: get ready', 'A release of dangerous chemicals in this area is possible.', 'Go indoors, close windows and doors, and switch off ventilation. Follow official announcements.'],
    alert: ['Chemical hazard alert', 'Dangerous chemicals have been released in this area.', 'Go indoors now, close windows and doors, switch off ventilation and stay inside. Cover your nose and mouth with a damp cloth. Do not go down to a basement.'],
    'all-clear': ['All clear: chemical hazard over', 'The chemical hazard alert for this area has ended.', 'You may leave the building. Air your rooms and follow any further advice from the authorities.'],
  },
  radiological: {
    'pre-alert': ['Radiation hazard: get ready', 'A release of radioactive material affecting this area is possible.', 'Get ready to go indoors and stay there. Close windows and doors and follow official announcements.'],
    alert: ['Radiation hazard alert', 'Radioactive material has been released and may reach this area.', 'Go indoors now, to a basement or the middle of the building, close windows and doors, switch off ventilation and stay there until the all-clear. Take iodine tablets only when the authorities tell you to.'],
    'all-clear': ['All clear: radiation hazard over', 'The radiation hazard alert for this area has ended.', 'You may leave the building. Follow the authorities\' advice on food, water and cleaning.'],
  },
  'urban-fighting': {
    'pre-alert': ['Fighting nearby: get ready', 'Armed fighting may reach this area.', 'Stay at home or go to the nearest shelter. Avoid going out and follow official announcements.'],
    alert: ['Armed fighting alert', 'There is armed fighting in this area.', 'Stay inside, in an inner room away from windows, or in the nearest shelter. Do not go outside, and do not film or post the positions of troops.'],
    'all-clear': ['All clear: fighting over', 'The armed fighting alert for this area has ended.', 'You may go outside again with care. Do not touch weapons, ammunition or unexploded objects; report them to the authorities.'],
  },
  other: {
    'pre-alert': ['Warning: get ready', 'A danger to this area is possible.', 'Get ready to take protective action and follow official announcements.'],
    alert: ['Emergency alert', 'There is a danger in this area.', 'Go to the nearest shelter now or follow the instructions of the authorities.'],
    'all-clear': ['All clear', 'The alert for this area has ended.', 'You may leave the shelter and resume normal activity. Follow any further advice from the authorities.'],
  },
};

const uk: Table = {
  'air-raid': {
    'pre-alert': ['Загроза авіаудару: будьте готові', 'Протягом найближчих хвилин можливий авіаудар по цій території.', 'Будьте готові пройти до найближчого укриття. Тримайте телефон зарядженим і стежте за офіційними повідомленнями.'],
    alert: ['Повітряна тривога', 'Авіаудар по цій території триває або неминучий.', 'Негайно пройдіть до найближчого укриття і залишайтеся там до відбою тривоги.'],
    'all-clear': ['Відбій повітряної тривоги', 'Повітряну тривогу для цієї території скасовано.', 'Можна виходити з укриття. Тримайтеся подалі від пошкоджених будівель і вибухонебезпечних предметів, повідомляйте про них відповідним службам.'],
  },
  missile: {
    'pre-alert': ['Ракетна загроза: будьте готові', 'Протягом найближчих хвилин можливі пуски ракет у напрямку цієї території.', 'Будьте готові пройти до найближчого укриття. Залишайтеся поблизу нього і стежте за офіційними повідомленнями.'],
    alert: ['Ракетна небезпека', 'У напрямку цієї території запущено ракети.', 'Негайно пройдіть до найближчого укриття і залишайтеся там 10 хвилин.'],
    'all-clear': ['Відбій ракетної небезпеки', 'Ракетну небезпеку для цієї території скасовано.', 'Можна виходити з укриття. Не торкайтеся уламків і вибухонебезпечних предметів; повідомляйте про них відповідним службам.'],
  },
  drone: {
    'pre-alert': ['Загроза ударних дронів: будьте готові', 'До цієї території можуть наближатися ворожі дрони.', 'Будьте готові пройти до найближчого укриття. Тримайтеся подалі від вікон і стежте за офіційними повідомленнями.'],
    alert: ['Загроза атаки дронів', 'Ворожі дрони наближаються до цієї території.', 'Негайно пройдіть до найближчого укриття або до внутрішньої кімнати подалі від вікон і залишайтеся там до відбою тривоги.'],
    'all-clear': ['Відбій загрози дронів', 'Тривогу через дрони для цієї території скасовано.', 'Можна виходити з укриття. Не торкайтеся уламків; повідомляйте про них відповідним службам.'],
  },
  artillery: {
    'pre-alert': ['Загроза обстрілу: будьте готові', 'Можливий артилерійський обстріл цієї території.', 'Будьте готові пройти до найближчого укриття. Уникайте відкритих місць і стежте за офіційними повідомленнями.'],
    alert: ['Загроза артилерійського обстрілу', 'Ця територія під артилерійським обстрілом або невдовзі опиниться під ним.', 'Негайно пройдіть до найближчого укриття або підвалу і залишайтеся там до відбою тривоги. Якщо ви надворі, ляжте в канаву чи за стіну.'],
    'all-clear': ['Відбій загрози обстрілу', 'Тривогу через обстріл для цієї території скасовано.', 'Можна виходити з укриття. Тримайтеся подалі від вирв, пошкоджених будівель і снарядів, що не розірвалися; повідомляйте про них відповідним службам.'],
  },
  chemical: {
    'pre-alert': ['Хімічна небезпека: будьте готові', 'На цій території можливий викид небезпечних хімічних речовин.', 'Зайдіть у приміщення, зачиніть вікна й двері, вимкніть вентиляцію. Стежте за офіційними повідомленнями.'],
    alert: ['Хімічна тривога', 'На цій території стався викид небезпечних хімічних речовин.', 'Негайно зайдіть у приміщення, зачиніть вікна й двері, вимкніть вентиляцію і залишайтеся всередині. Прикрийте ніс і рот вологою тканиною. Не спускайтеся в підвал.'],
    'all-clear': ['Відбій хімічної тривоги', 'Хімічну тривогу для цієї території скасовано.', 'Можна виходити з приміщення. Провітріть кімнати та виконуйте подальші рекомендації служб.'],
  },
  radiological: {
    'pre-alert': ['Радіаційна небезпека: будьте готові', 'Можливий викид радіоактивних речовин, який може зачепити цю територію.', 'Будьте готові зайти в приміщення і залишатися там. Зачиніть вікна й двері та стежте за офіційними повідомленнями.'],
    alert: ['Радіаційна тривога', 'Стався викид радіоактивних речовин, що можуть досягти цієї території.', 'Негайно зайдіть у приміщення — у підвал або в середину будівлі, зачиніть вікна й двері, вимкніть вентиляцію і залишайтеся там до відбою тривоги. Приймайте йодні таблетки лише за вказівкою влади.'],
    'all-clear': ['Відбій радіаційної тривоги', 'Радіаційну тривогу для цієї території скасовано.', 'Можна виходити з приміщення. Виконуйте рекомендації влади щодо їжі, води та прибирання.'],
  },
  'urban-fighting': {
    'pre-alert': ['Бої поблизу: будьте готові', 'Бойові дії можуть дійти до цієї території.', 'Залишайтеся вдома або пройдіть до найближчого укриття. Уникайте виходу надвір і стежте за офіційними повідомленнями.'],
    alert: ['Тривога: бойові дії', 'На цій території тривають бойові дії.', 'Залишайтеся в приміщенні, у внутрішній кімнаті подалі від вікон, або в найближчому укритті. Не виходьте надвір, не знімайте й не публікуйте позиції військових.'],
    'all-clear': ['Відбій тривоги: бойові дії завершено', 'Тривогу через бойові дії для цієї території скасовано.', 'Можна обережно виходити надвір. Не торкайтеся зброї, боєприпасів і вибухонебезпечних предметів; повідомляйте про них відповідним службам.'],
  },
  other: {
    'pre-alert': ['Попередження: будьте готові', 'Для цієї території можлива небезпека.', 'Будьте готові вжити заходів захисту і стежте за офіційними повідомленнями.'],
    alert: ['Тривога', 'На цій території існує небезпека.', 'Негайно пройдіть до найближчого укриття або виконуйте вказівки влади.'],
    'all-clear': ['Відбій тривоги', 'Тривогу для цієї території скасовано.', 'Можна виходити з укриття і повертатися до звичайних справ. Виконуйте подальші рекомендації влади.'],
  },
};

const ru: Table = {
  'air-raid': {
    'pre-alert': ['Угроза авиаудара: будьте готовы', 'В ближайшие минуты возможен авиаудар по этой территории.', 'Будьте готовы пройти в ближайшее укрытие. Держите телефон заряженным и следите за официальными сообщениями.'],
    alert: ['Воздушная тревога', 'Авиаудар по этой территории идёт или неизбежен.', 'Немедленно пройдите в ближайшее укрытие и оставайтесь там до отбоя тревоги.'],
    'all-clear': ['Отбой воздушной тревоги', 'Воздушная тревога для этой территории отменена.', 'Можно выходить из укрытия. Держитесь подальше от повреждённых зданий и взрывоопасных предметов, сообщайте о них в соответствующие службы.'],
  },
  missile: {
    'pre-alert': ['Ракетная угроза: будьте готовы', 'В ближайшие минуты возможны пуски ракет в направлении этой территории.', 'Будьте готовы пройти в ближайшее укрытие. Оставайтесь рядом с ним и следите за официальными сообщениями.'],
    alert: ['Ракетная опасность', 'В направлении этой территории запущены ракеты.', 'Немедленно пройдите в ближайшее укрытие и оставайтесь там 10 минут.'],
    'all-clear': ['Отбой ракетной опасности', 'Ракетная опасность для этой территории отменена.', 'Можно выходить из укрытия. Не трогайте обломки и взрывоопасные предметы; сообщайте о них в соответствующие службы.'],
  },
  drone: {
    'pre-alert': ['Угроза беспилотников: будьте готовы', 'К этой территории могут приближаться вражеские беспилотники.', 'Будьте готовы пройти в ближайшее укрытие. Держитесь подальше от окон и следите за официальными сообщениями.'],
    alert: ['Угроза атаки беспилотников', 'Вражеские беспилотники приближаются к этой территории.', 'Немедленно пройдите в ближайшее укрытие или во внутреннюю комнату подальше от окон и оставайтесь там до отбоя тревоги.'],
    'all-clear': ['Отбой угрозы беспилотников', 'Тревога из-за беспилотников для этой территории отменена.', 'Можно выходить из укрытия. Не трогайте обломки; сообщайте о них в соответствующие службы.'],
  },
  artillery: {
    'pre-alert': ['Угроза обстрела: будьте готовы', 'Возможен артиллерийский обстрел этой территории.', 'Будьте готовы пройти в ближайшее укрытие. Избегайте открытых мест и следите за официальными сообщениями.'],
    alert: ['Угроза артиллерийского обстрела', 'Эта территория под артиллерийским обстрелом или скоро окажется под ним.', 'Немедленно пройдите в ближайшее укрытие или подвал и оставайтесь там до отбоя тревоги. Если вы на улице, лягте в канаву или за стену.'],
    'all-clear': ['Отбой угрозы обстрела', 'Тревога из-за обстрела для этой территории отменена.', 'Можно выходить из укрытия. Держитесь подальше от воронок, повреждённых зданий и неразорвавшихся снарядов; сообщайте о них в соответствующие службы.'],
  },
  chemical: {
    'pre-alert': ['Химическая опасность: будьте готовы', 'На этой территории возможен выброс опасных химических веществ.', 'Зайдите в помещение, закройте окна и двери, выключите вентиляцию. Следите за официальными сообщениями.'],
    alert: ['Химическая тревога', 'На этой территории произошёл выброс опасных химических веществ.', 'Немедленно зайдите в помещение, закройте окна и двери, выключите вентиляцию и оставайтесь внутри. Прикройте нос и рот влажной тканью. Не спускайтесь в подвал.'],
    'all-clear': ['Отбой химической тревоги', 'Химическая тревога для этой территории отменена.', 'Можно выходить из помещения. Проветрите комнаты и выполняйте дальнейшие рекомендации служб.'],
  },
  radiological: {
    'pre-alert': ['Радиационная опасность: будьте готовы', 'Возможен выброс радиоактивных веществ, который может затронуть эту территорию.', 'Будьте готовы зайти в помещение и оставаться там. Закройте окна и двери и следите за официальными сообщениями.'],
    alert: ['Радиационная тревога', 'Произошёл выброс радиоактивных веществ, которые могут достичь этой территории.', 'Немедленно зайдите в помещение — в подвал или в середину здания, закройте окна и двери, выключите вентиляцию и оставайтесь там до отбоя тревоги. Принимайте йодные таблетки только по указанию властей.'],
    'all-clear': ['Отбой радиационной тревоги', 'Радиационная тревога для этой территории отменена.', 'Можно выходить из помещения. Выполняйте рекомендации властей относительно еды, воды и уборки.'],
  },
  'urban-fighting': {
    'pre-alert': ['Бои поблизости: будьте готовы', 'Боевые действия могут дойти до этой территории.', 'Оставайтесь дома или пройдите в ближайшее укрытие. Избегайте выхода на улицу и следите за официальными сообщениями.'],
    alert: ['Тревога: боевые действия', 'На этой территории идут боевые действия.', 'Оставайтесь в помещении, во внутренней комнате подальше от окон, или в ближайшем укрытии. Не выходите на улицу, не снимайте и не публикуйте позиции военных.'],
    'all-clear': ['Отбой тревоги: боевые действия завершены', 'Тревога из-за боевых действий для этой территории отменена.', 'Можно осторожно выходить на улицу. Не трогайте оружие, боеприпасы и взрывоопасные предметы; сообщайте о них в соответствующие службы.'],
  },
  other: {
    'pre-alert': ['Предупреждение: будьте готовы', 'Для этой территории возможна опасность.', 'Будьте готовы принять меры защиты и следите за официальными сообщениями.'],
    alert: ['Тревога', 'На этой территории существует опасность.', 'Немедленно пройдите в ближайшее укрытие или выполняйте указания властей.'],
    'all-clear': ['Отбой тревоги', 'Тревога для этой территории отменена.', 'Можно выходить из укрытия и возвращаться к обычным делам. Выполняйте дальнейшие рекомендации властей.'],
  },
};

const da: Table = {
  'air-raid': {
    'pre-alert': ['Varsel om luftangreb: gør dig klar', 'Et luftangreb mod området er muligt inden for de næste minutter.', 'Gør dig klar til at gå i nærmeste beskyttelsesrum. Hold din telefon opladet, og følg myndighedernes meddelelser.'],
    alert: ['Luftalarm', 'Et luftangreb mod området er i gang eller umiddelbart forestående.', 'Gå i nærmeste beskyttelsesrum nu, og bliv der, til faren er drevet over.'],
    'all-clear': ['Faren er drevet over: luftangrebet er slut', 'Luftalarmen for området er ophævet.', 'Du kan forlade beskyttelsesrummet. Hold dig væk fra beskadigede bygninger og ueksploderede genstande, og meld dem til myndighederne.'],
  },
  missile: {
    'pre-alert': ['Missiltrussel: gør dig klar', 'Der kan blive affyret missiler mod området inden for de næste minutter.', 'Gør dig klar til at gå i nærmeste beskyttelsesrum. Bliv i nærheden af det, og følg myndighedernes meddelelser.'],
    alert: ['Missilalarm', 'Der er affyret missiler mod området.', 'Gå i nærmeste beskyttelsesrum nu, og bliv der i 10 minutter.'],
    'all-clear': ['Faren er drevet over: missiltruslen er slut', 'Missilalarmen for området er ophævet.', 'Du kan forlade beskyttelsesrummet. Rør ikke ved fragmenter eller ueksploderede genstande; meld dem til myndighederne.'],
  },
  drone: {
    'pre-alert': ['Dronetrussel: gør dig klar', 'Fjendtlige droner kan nærme sig området.', 'Gør dig klar til at gå i nærmeste beskyttelsesrum. Hold dig væk fra vinduer, og følg myndighedernes meddelelser.'],
    alert: ['Dronealarm', 'Fjendtlige droner nærmer sig området.', 'Gå i nærmeste beskyttelsesrum nu, eller i et indre rum væk fra vinduer, og bliv der, til faren er drevet over.'],
    'all-clear': ['Faren er drevet over: dronetruslen er slut', 'Dronealarmen for området er ophævet.', 'Du kan forlade beskyttelsesrummet. Rør ikke ved vragdele; meld dem til myndighederne.'],
  },
  artillery: {
    'pre-alert': ['Trussel om beskydning: gør dig klar', 'Området kan blive beskudt.', 'Gør dig klar til at gå i nærmeste beskyttelsesrum. Undgå åbne pladser, og følg myndighedernes meddelelser.'],
    alert: ['Alarm for beskydning', 'Området er under artilleribeskydning eller vil snart blive det.', 'Gå i nærmeste beskyttelsesrum eller kælder nu, og bliv der, til faren er drevet over. Er du udendørs, så læg dig ned i en grøft eller bag en mur.'],
    'all-clear': ['Faren er drevet over: beskydningen er slut', 'Alarmen for beskydning af området er ophævet.', 'Du kan forlade beskyttelsesrummet. Hold dig væk fra kratere, beskadigede bygninger og ueksploderede granater; meld dem til myndighederne.'],
  },
  chemical: {
    'pre-alert': ['Kemisk fare: gør dig klar', 'Der kan ske et udslip af farlige kemikalier i området.', 'Gå indendørs, luk vinduer og døre, og sluk for ventilationen. Følg myndighedernes meddelelser.'],
    alert: ['Alarm for kemisk fare', 'Der er sket et udslip af farlige kemikalier i området.', 'Gå indendørs nu, luk vinduer og døre, sluk for ventilationen, og bliv inde. Hold en fugtig klud for næse og mund. Gå ikke ned i kælderen.'],
    'all-clear': ['Faren er drevet over: den kemiske fare er slut', 'Alarmen for kemisk fare i området er ophævet.', 'Du kan forlade bygningen. Luft ud, og følg myndighedernes videre råd.'],
  },
  radiological: {
    'pre-alert': ['Strålingsfare: gør dig klar', 'Der kan ske et udslip af radioaktive stoffer, som rammer området.', 'Gør dig klar til at gå indendørs og blive der. Luk vinduer og døre, og følg myndighedernes meddelelser.'],
    alert: ['Alarm for strålingsfare', 'Der er sket et udslip af radioaktive stoffer, som kan nå området.', 'Gå indendørs nu, i kælderen eller midt i bygningen, luk vinduer og døre, sluk for ventilationen, og bliv der, til faren er drevet over. Tag kun jodtabletter, når myndighederne siger det.'],
    'all-clear': ['Faren er drevet over: strålingsfaren er slut', 'Alarmen for strålingsfare i området er ophævet.', 'Du kan forlade bygningen. Følg myndighedernes råd om mad, vand og rengøring.'],
  },
  'urban-fighting': {
    'pre-alert': ['Kampe i nærheden: gør dig klar', 'Væbnede kampe kan nå området.', 'Bliv hjemme, eller gå i nærmeste beskyttelsesrum. Undgå at gå udenfor, og følg myndighedernes meddelelser.'],
    alert: ['Alarm for væbnede kampe', 'Der er væbnede kampe i området.', 'Bliv indendørs i et indre rum væk fra vinduer eller i nærmeste beskyttelsesrum. Gå ikke udenfor, og film eller del ikke soldaters positioner.'],
    'all-clear': ['Faren er drevet over: kampene er slut', 'Alarmen for væbnede kampe i området er ophævet.', 'Du kan gå udenfor igen, men vær forsigtig. Rør ikke ved våben, ammunition eller ueksploderede genstande; meld dem til myndighederne.'],
  },
  other: {
    'pre-alert': ['Varsel: gør dig klar', 'Der kan opstå fare i området.', 'Gør dig klar til at beskytte dig, og følg myndighedernes meddelelser.'],
    alert: ['Nødalarm', 'Der er fare i området.', 'Gå i nærmeste beskyttelsesrum nu, eller følg myndighedernes anvisninger.'],
    'all-clear': ['Faren er drevet over', 'Alarmen for området er ophævet.', 'Du kan forlade beskyttelsesrummet og vende tilbage til hverdagen. Følg myndighedernes videre råd.'],
  },
};

const he: Table = {
  'air-raid': {
    'pre-alert': ['התרעה מוקדמת על תקיפה אווירית: היו מוכנים', 'ייתכן שבדקות הקרובות תתבצע תקיפה אווירית באזור זה.', 'היו מוכנים להיכנס למרחב המוגן הקרוב. שמרו על טלפון טעון ועקבו אחר ההודעות הרשמיות.'],
    alert: ['התרעה: תקיפה אווירית', 'תקיפה אווירית על אזור זה מתרחשת או צפויה מיד.', 'היכנסו עכשיו למרחב המוגן הקרוב והישארו בו עד להודעה על סיום האירוע.'],
    'all-clear': ['סיום האירוע: התקיפה האווירית הסתיימה', 'ההתרעה על תקיפה אווירית באזור זה הסתיימה.', 'ניתן לצאת מהמרחב המוגן. התרחקו ממבנים פגועים ומחפצים שלא התפוצצו, ודווחו עליהם לרשויות.'],
  },
  missile: {
    'pre-alert': ['איום טילים: היו מוכנים', 'ייתכנו שיגורי טילים לעבר אזור זה בדקות הקרובות.', 'היו מוכנים להיכנס למרחב המוגן הקרוב. הישארו בקרבתו ועקבו אחר ההודעות הרשמיות.'],
    alert: ['ירי טילים', 'שוגרו טילים לעבר אזור זה.', 'היכנסו עכשיו למרחב המוגן הקרוב והישארו בו 10 דקות.'],
    'all-clear': ['סיום האירוע: איום הטילים חלף', 'ההתרעה על ירי טילים באזור זה הסתיימה.', 'ניתן לצאת מהמרחב המוגן. אל תגעו ברסיסים או בחפצים שלא התפוצצו; דווחו עליהם לרשויות.'],
  },
  drone: {
    'pre-alert': ['איום כלי טיס עוינים: היו מוכנים', 'כלי טיס בלתי מאוישים עוינים עלולים להתקרב לאזור זה.', 'היו מוכנים להיכנס למרחב המוגן הקרוב. התרחקו מחלונות ועקבו אחר ההודעות הרשמיות.'],
    alert: ['חדירת כלי טיס עוין', 'כלי טיס בלתי מאוישים עוינים מתקרבים לאזור זה.', 'היכנסו עכשיו למרחב המוגן הקרוב, או לחדר פנימי הרחק מחלונות, והישארו שם עד להודעה על סיום האירוע.'],
    'all-clear': ['סיום האירוע: איום כלי הטיס חלף', 'ההתרעה על כלי טיס עוינים באזור זה הסתיימה.', 'ניתן לצאת מהמרחב המוגן. אל תגעו בשברים; דווחו עליהם לרשויות.'],
  },
  artillery: {
    'pre-alert': ['איום הפגזה: היו מוכנים', 'ייתכנו הפגזות ארטילריות על אזור זה.', 'היו מוכנים להיכנס למרחב המוגן הקרוב. הימנעו משטחים פתוחים ועקבו אחר ההודעות הרשמיות.'],
    alert: ['התרעה: הפגזה ארטילרית', 'אזור זה נמצא תחת הפגזה ארטילרית או צפוי להיות תחתיה בקרוב.', 'היכנסו עכשיו למרחב המוגן הקרוב או למרתף והישארו שם עד להודעה על סיום האירוע. אם אתם בחוץ, שכבו בתעלה או מאחורי קיר.'],
    'all-clear': ['סיום האירוע: ההפגזה הסתיימה', 'ההתרעה על הפגזה באזור זה הסתיימה.', 'ניתן לצאת מהמרחב המוגן. התרחקו ממכתשים, ממבנים פגועים ומפגזים שלא התפוצצו; דווחו עליהם לרשויות.'],
  },
  chemical: {
    'pre-alert': ['סכנת חומרים מסוכנים: היו מוכנים', 'ייתכנו דליפה או פיזור של חומרים כימיים מסוכנים באזור זה.', 'היכנסו למבנה, סגרו חלונות ודלתות וכבו את מערכות האוורור. עקבו אחר ההודעות הרשמיות.'],
    alert: ['התרעה: אירוע חומרים מסוכנים', 'באזור זה שוחררו חומרים כימיים מסוכנים.', 'היכנסו עכשיו למבנה, סגרו חלונות ודלתות, כבו את מערכות האוורור והישארו בפנים. כסו את האף והפה בבד לח. אל תרדו למרתף.'],
    'all-clear': ['סיום האירוע: סכנת החומרים המסוכנים חלפה', 'ההתרעה על חומרים מסוכנים באזור זה הסתיימה.', 'ניתן לצאת מהמבנה. אווררו את החדרים ופעלו לפי הנחיות הרשויות.'],
  },
  radiological: {
    'pre-alert': ['סכנת קרינה: היו מוכנים', 'ייתכן שחרור של חומרים רדיואקטיביים שעלול להשפיע על אזור זה.', 'היו מוכנים להיכנס למבנה ולהישאר בו. סגרו חלונות ודלתות ועקבו אחר ההודעות הרשמיות.'],
    alert: ['התרעה: סכנת קרינה', 'שוחררו חומרים רדיואקטיביים שעלולים להגיע לאזור זה.', 'היכנסו עכשיו למבנה, למרתף או למרכז הבניין, סגרו חלונות ודלתות, כבו את מערכות האוורור והישארו שם עד להודעה על סיום האירוע. טלו טבליות יוד רק בהנחיית הרשויות.'],
    'all-clear': ['סיום האירוע: סכנת הקרינה חלפה', 'ההתרעה על סכנת קרינה באזור זה הסתיימה.', 'ניתן לצאת מהמבנה. פעלו לפי הנחיות הרשויות לגבי מזון, מים וניקיון.'],
  },
  'urban-fighting': {
    'pre-alert': ['לחימה בקרבת מקום: היו מוכנים', 'לחימה עלולה להגיע לאזור זה.', 'הישארו בבית או היכנסו למרחב המוגן הקרוב. הימנעו מיציאה החוצה ועקבו אחר ההודעות הרשמיות.'],
    alert: ['התרעה: לחימה באזור', 'באזור זה מתנהלת לחימה.', 'הישארו בפנים, בחדר פנימי הרחק מחלונות או במרחב המוגן הקרוב. אל תצאו החוצה, ואל תצלמו או תפרסמו את מיקומי הכוחות.'],
    'all-clear': ['סיום האירוע: הלחימה הסתיימה', 'ההתרעה על לחימה באזור זה הסתיימה.', 'ניתן לצאת החוצה בזהירות. אל תגעו בנשק, בתחמושת או בחפצים שלא התפוצצו; דווחו עליהם לרשויות.'],
  },
  other: {
    'pre-alert': ['אזהרה: היו מוכנים', 'ייתכנה סכנה באזור זה.', 'היו מוכנים לפעול להגנתכם ועקבו אחר ההודעות הרשמיות.'],
    alert: ['התרעת חירום', 'קיימת סכנה באזור זה.', 'היכנסו עכשיו למרחב המוגן הקרוב או פעלו לפי הנחיות הרשויות.'],
    'all-clear': ['סיום האירוע', 'ההתרעה לאזור זה הסתיימה.', 'ניתן לצאת מהמרחב המוגן ולחזור לשגרה. פעלו לפי הנחיות נוספות של הרשויות.'],
  },
};

const ar: Table = {
  'air-raid': {
    'pre-alert': ['تحذير من غارة جوية: استعدّوا', 'قد تتعرّض هذه المنطقة لغارة جوية خلال الدقائق القادمة.', 'استعدّوا للتوجّه إلى أقرب ملجأ. أبقوا هواتفكم مشحونة وتابعوا البلاغات الرسمية.'],
    alert: ['إنذار غارة جوية', 'غارة جوية على هذه المنطقة جارية أو وشيكة.', 'توجّهوا الآن إلى أقرب ملجأ وابقوا فيه حتى إعلان زوال الخطر.'],
    'all-clear': ['زوال الخطر: انتهت الغارة الجوية', 'انتهى إنذار الغارة الجوية لهذه المنطقة.', 'يمكنكم مغادرة الملجأ. ابتعدوا عن المباني المتضرّرة والأجسام غير المنفجرة، وأبلغوا السلطات عنها.'],
  },
  missile: {
    'pre-alert': ['تهديد صاروخي: استعدّوا', 'قد تُطلق صواريخ باتجاه هذه المنطقة خلال الدقائق القادمة.', 'استعدّوا للتوجّه إلى أقرب ملجأ. ابقوا بالقرب منه وتابعوا البلاغات الرسمية.'],
    alert: ['إنذار صاروخي', 'أُطلقت صواريخ باتجاه هذه المنطقة.', 'توجّهوا الآن إلى أقرب ملجأ وابقوا فيه لمدة 10 دقائق.'],
    'all-clear': ['زوال الخطر: انتهى التهديد الصاروخي', 'انتهى الإنذار الصاروخي لهذه المنطقة.', 'يمكنكم مغادرة الملجأ. لا تلمسوا الشظايا أو الأجسام غير المنفجرة، وأبلغوا السلطات عنها.'],
  },
  drone: {
    'pre-alert': ['تهديد طائرات مسيّرة: استعدّوا', 'قد تقترب طائرات مسيّرة معادية من هذه المنطقة.', 'استعدّوا للتوجّه إلى أقرب ملجأ. ابتعدوا عن النوافذ وتابعوا البلاغات الرسمية.'],
    alert: ['إنذار طائرات مسيّرة', 'طائرات مسيّرة معادية تقترب من هذه المنطقة.', 'توجّهوا الآن إلى أقرب ملجأ، أو إلى غرفة داخلية بعيدة عن النوافذ، وابقوا فيها حتى إعلان زوال الخطر.'],
    'all-clear': ['زوال الخطر: انتهى تهديد الطائرات المسيّرة', 'انتهى إنذار الطائرات المسيّرة لهذه المنطقة.', 'يمكنكم مغادرة الملجأ. لا تلمسوا الحطام، وأبلغوا السلطات عنه.'],
  },
  artillery: {
    'pre-alert': ['تهديد بالقصف: استعدّوا', 'قد تتعرّض هذه المنطقة لقصف مدفعي.', 'استعدّوا للتوجّه إلى أقرب ملجأ. تجنّبوا الأماكن المكشوفة وتابعوا البلاغات الرسمية.'],
    alert: ['إنذار قصف مدفعي', 'هذه المنطقة تتعرّض لقصف مدفعي أو ستتعرّض له قريبًا.', 'توجّهوا الآن إلى أقرب ملجأ أو قبو وابقوا فيه حتى إعلان زوال الخطر. إذا كنتم في الخارج، فانبطحوا في خندق أو خلف جدار.'],
    'all-clear': ['زوال الخطر: انتهى القصف', 'انتهى إنذار القصف لهذه المنطقة.', 'يمكنكم مغادرة الملجأ. ابتعدوا عن الحفر والمباني المتضرّرة والقذائف غير المنفجرة، وأبلغوا السلطات عنها.'],
  },
  chemical: {
    'pre-alert': ['خطر كيميائي: استعدّوا', 'قد يحدث تسرّب لمواد كيميائية خطرة في هذه المنطقة.', 'ادخلوا إلى مبنى، وأغلقوا النوافذ والأبواب، وأطفئوا التهوية. تابعوا البلاغات الرسمية.'],
    alert: ['إنذار خطر كيميائي', 'حدث تسرّب لمواد كيميائية خطرة في هذه المنطقة.', 'ادخلوا الآن إلى مبنى، وأغلقوا النوافذ والأبواب، وأطفئوا التهوية وابقوا في الداخل. غطّوا الأنف والفم بقطعة قماش مبلّلة. لا تنزلوا إلى القبو.'],
    'all-clear': ['زوال الخطر: انتهى الخطر الكيميائي', 'انتهى إنذار الخطر الكيميائي لهذه المنطقة.', 'يمكنكم مغادرة المبنى. هوّوا الغرف واتّبعوا تعليمات السلطات اللاحقة.'],
  },
  radiological: {
    'pre-alert': ['خطر إشعاعي: استعدّوا', 'قد يحدث تسرّب لمواد مشعّة يطال هذه المنطقة.', 'استعدّوا للدخول إلى مبنى والبقاء فيه. أغلقوا النوافذ والأبواب وتابعوا البلاغات الرسمية.'],
    alert: ['إنذار خطر إشعاعي', 'حدث تسرّب لمواد مشعّة قد تصل إلى هذه المنطقة.', 'ادخلوا الآن إلى مبنى، إلى القبو أو وسط المبنى، وأغلقوا النوافذ والأبواب، وأطفئوا التهوية وابقوا هناك حتى إعلان زوال الخطر. لا تتناولوا أقراص اليود إلا بتوجيه من السلطات.'],
    'all-clear': ['زوال الخطر: انتهى الخطر الإشعاعي', 'انتهى إنذار الخطر الإشعاعي لهذه المنطقة.', 'يمكنكم مغادرة المبنى. اتّبعوا تعليمات السلطات بشأن الطعام والماء والتنظيف.'],
  },
  'urban-fighting': {
    'pre-alert': ['اشتباكات قريبة: استعدّوا', 'قد تصل الاشتباكات المسلّحة إلى هذه المنطقة.', 'ابقوا في منازلكم أو توجّهوا إلى أقرب ملجأ. تجنّبوا الخروج وتابعوا البلاغات الرسمية.'],
    alert: ['إنذار اشتباكات مسلّحة', 'تدور اشتباكات مسلّحة في هذه المنطقة.', 'ابقوا في الداخل، في غرفة داخلية بعيدة عن النوافذ أو في أقرب ملجأ. لا تخرجوا، ولا تصوّروا مواقع القوات أو تنشروها.'],
    'all-clear': ['زوال الخطر: انتهت الاشتباكات', 'انتهى إنذار الاشتباكات المسلّحة لهذه المنطقة.', 'يمكنكم الخروج مجددًا بحذر. لا تلمسوا الأسلحة أو الذخائر أو الأجسام غير المنفجرة، وأبلغوا السلطات عنها.'],
  },
  other: {
    'pre-alert': ['تحذير: استعدّوا', 'قد يكون هناك خطر في هذه المنطقة.', 'استعدّوا لاتخاذ إجراءات الحماية وتابعوا البلاغات الرسمية.'],
    alert: ['إنذار طوارئ', 'هناك خطر في هذه المنطقة.', 'توجّهوا الآن إلى أقرب ملجأ أو اتّبعوا تعليمات السلطات.'],
    'all-clear': ['زوال الخطر', 'انتهى الإنذار لهذه المنطقة.', 'يمكنكم مغادرة الملجأ والعودة إلى حياتكم الطبيعية. اتّبعوا أي تعليمات لاحقة من السلطات.'],
  },
};

export const DEFAULT_TEMPLATES: Readonly<Record<TemplateLanguage, Table>> = { en, uk, he, da, ar, ru };
